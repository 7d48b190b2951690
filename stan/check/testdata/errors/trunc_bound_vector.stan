data { real y; vector[2] L; }
parameters { real mu; }
model {
  y ~ normal(mu, 1) T[, /* ERROR "truncation bounds must be int or real, found vector" */L];
}
