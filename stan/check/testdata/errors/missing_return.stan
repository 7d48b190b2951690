functions {
  /* ERROR "function 'f' must return a value of type real on every path" */real f(real x) {
    if (x > 0) return 1;
  }
}
