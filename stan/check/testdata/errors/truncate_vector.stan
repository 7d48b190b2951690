parameters { vector[2] v; }
model {
  /* ERROR "truncation is only defined for a univariate variate, found vector" */v ~ normal(0, 1) T[0, ];
}
