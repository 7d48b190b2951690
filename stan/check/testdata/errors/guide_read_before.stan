parameters { real a; real b; }
model { a ~ normal(0, 1); b ~ normal(a, 1); }
guide {
  b ~ normal(/* ERROR "the guide reads parameter 'a' before drawing it" */a, 1);
  a ~ normal(0, 1);
}
