functions {
  real f(real x) {
    return /* ERROR "random number generators are only allowed" */normal_rng(x, 1);
  }
}
