functions {
  real f(real x) {
    /* ERROR "function 'f' must return a value of type real" */return;
  }
}
