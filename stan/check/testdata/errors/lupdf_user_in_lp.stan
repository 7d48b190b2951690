functions {
  real foo_lpdf(real y, real mu) { return -square(y - mu); }
  real bar_lp(real y) { return /* ERROR "use foo_lpdf here" */foo_lupdf(y | 0); }
}
parameters { real y; }
model { target += bar_lp(y); }
