parameters { real a; }
model { a ~ normal(0, 1); }
guide {
  a ~ normal(0, 1);
  /* ERROR "the guide draws parameter 'a' twice" */a ~ normal(0, 2);
}
