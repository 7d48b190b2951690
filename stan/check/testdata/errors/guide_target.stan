parameters { real a; }
model { a ~ normal(0, 1); }
guide {
  a ~ normal(0, 1);
  /* ERROR "target += is only allowed in the model block" */target += 1;
}
