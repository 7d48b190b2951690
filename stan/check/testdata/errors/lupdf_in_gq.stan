parameters { real y; }
model { y ~ normal(0, 1); }
generated quantities {
  real z = /* ERROR "functions with names ending in _lupdf and _lupmf can only be used in the model block or user-defined functions with names ending in _lpdf or _lpmf: use normal_lpdf here" */normal_lupdf(y | 0, 1);
}
