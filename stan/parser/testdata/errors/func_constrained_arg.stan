functions {
  real f(/* ERROR "function arguments and results cannot be constrained types like simplex" */simplex x) { return 1; }
}
