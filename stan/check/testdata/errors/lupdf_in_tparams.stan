parameters { real y; }
transformed parameters {
  real z = /* ERROR "functions with names ending in _lupdf and _lupmf can only be used in the model block" */normal_lupdf(y | 0, 1);
}
model { y ~ normal(0, 1); }
