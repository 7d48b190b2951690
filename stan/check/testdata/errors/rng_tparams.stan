parameters {
  real mu;
}
transformed parameters {
  real x = /* ERROR "random number generators are only allowed in the transformed data block, the generated quantities block or functions whose names end in _rng" */normal_rng(mu, 1);
}
