data { real y; }
parameters { real a; }
model { a ~ normal(0, 1); }
guide {
  a ~ normal(0, 1);
  /* ERROR "a guide can only draw model parameters with ~, not 'y'" */y ~ normal(0, 1);
}
