functions {
  real f(real x) {
    return /* ERROR "function 'f' returns real, but this return statement has type vector" */rep_vector(x, 2);
  }
}
