functions {
  real f(tuple(real, vector/* ERROR "function arguments and results have no sizes" */[3]) x) { return 1; }
}
