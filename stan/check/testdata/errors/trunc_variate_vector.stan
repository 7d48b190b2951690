data { vector[3] y; }
parameters { real mu; }
model {
  /* ERROR "truncation is only defined for a univariate variate, found vector" */y ~ normal(mu, 1) T[0, ];
}
