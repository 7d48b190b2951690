data {
  real y;
}
parameters {
  real<lower=0> lambda;
}
model {
  target += /* ERROR "no matching signature for 'poisson_lpmf' with arguments (real, real)" */poisson_lpmf(y | lambda);
}
