functions {
  real f(data real x) { return x; }
}
parameters { real mu; }
model {
  target += f(/* ERROR "argument 1 of 'f' must be data only, but depends on parameters" */mu);
}
