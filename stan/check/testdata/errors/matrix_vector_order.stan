transformed data {
  vector[2] v;
  matrix[2, 2] m;
  vector[2] w = /* ERROR "ill-typed arguments supplied to infix operator *" */v * m;
}
