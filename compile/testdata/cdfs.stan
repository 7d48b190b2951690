parameters {
  real<lower=0> s;
}
model {
  s ~ lognormal(0, 1);
}
generated quantities {
  real a = normal_cdf(1 | 0, 1);
  real b = exp(normal_lcdf(1 | 0, 1));
  real c = poisson_cdf(2 | 1.5);
  real d = exp(poisson_lccdf(2 | 1.5));
  real e = gamma_cdf(1.5 | 2, 1);
  real f = student_t_cdf(0.5 | 4, 0, 1);
}
