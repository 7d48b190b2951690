functions {
  real g(real x) { return x; }
}
data { real g; }
transformed data {
  real y = /* ERROR "'g' is a variable, not a function" */g(1);
}
