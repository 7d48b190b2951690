transformed data {
  vector[2] v;
  row_vector[3] r;
  real x = sum(/* ERROR "ill-typed arguments supplied to infix operator +: left operand has type vector and right operand has type row_vector" */v + r);
}
