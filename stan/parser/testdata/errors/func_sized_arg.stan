functions {
  real f(vector/* ERROR "function arguments and results have no sizes: write vector, not vector[...]" */[3] x) { return 1; }
}
