functions {
  real add(array[] real a, real b) { return sum(a) + b; }
}
transformed data {
  array[2] real a = {1.0, 2.0};
  real s = /* ERROR "ill-typed arguments supplied to infix operator +: left operand has type array[] real and right operand has type real" */a + 1.0;
}
