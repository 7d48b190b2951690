parameters { real a; }
transformed parameters { real c = 2 * a; }
model { a ~ normal(0, 1); }
guide {
  a ~ normal(/* ERROR "the guide can only read data, guide parameters and the parameters it has drawn, not 'c'" */c, 1);
}
