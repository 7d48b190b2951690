functions {
  real f(real x) {
    /* ERROR "function 'f' returns real, but this return statement has type vector" */return rep_vector(x, 2);
  }
}
