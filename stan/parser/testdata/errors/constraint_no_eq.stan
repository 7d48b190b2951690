data {
  real<lower /* ERROR "expected \"=\"" */0> x;
}
