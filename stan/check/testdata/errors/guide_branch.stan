data { int k; }
parameters { real a; real b; }
model { a ~ normal(0, 1); b ~ normal(0, 1); }
guide {
  /* ERROR "the guide must draw the same parameters on every path: 'b' is drawn on only one branch of this if" */if (k) {
    a ~ normal(0, 1);
    b ~ normal(0, 1);
  } else {
    a ~ normal(0, 2);
  }
}
