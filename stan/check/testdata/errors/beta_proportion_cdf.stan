parameters {
  real<lower=0, upper=1> p;
}
model {
  // Stan has beta_proportion_lcdf and _lccdf but no beta_proportion_cdf.
  target += /* ERROR "function 'beta_proportion_cdf' is not implemented for distribution 'beta_proportion'" */beta_proportion_cdf(0.5 | p, 2);
}
