functions {
  real f(real x) { return f(x + 1); }
}
transformed data { real y = f(1); }
parameters { real x; }
model { x ~ normal(0, 1); }
