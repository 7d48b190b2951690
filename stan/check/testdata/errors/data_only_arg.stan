functions {
  real f(data real x) { return x; }
}
parameters { real mu; }
model {
  target += f(/* ERROR "Ill-typed arguments supplied to function 'f': the first argument must be data-only" */mu);
}
