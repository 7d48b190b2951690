functions {
  tuple(int, real) f(real x) {
    /* ERROR "function 'f' returns tuple(int, real), but this return statement has type tuple(real, real)" */return (x, x);
  }
}
