transformed data {
  // A complex matrix divides a complex row vector or matrix on the right,
  // not a column vector.
  complex_vector[2] v;
  complex_matrix[2, 2] A;
  complex_vector[2] w = /* ERROR "ill-typed arguments supplied to infix operator /: left operand has type complex_vector and right operand has type complex_matrix" */v / A;
}
