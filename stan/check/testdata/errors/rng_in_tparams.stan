transformed parameters {
  real x = /* ERROR "random number generators are only allowed" */normal_rng(0, 1);
}
