parameters { real a; real b; }
model { a ~ normal(0, 1); b ~ normal(0, 1); }
/* ERROR "the guide must draw every model parameter: it does not draw b" */guide {
  a ~ normal(0, 1);
}
