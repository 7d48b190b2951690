transformed data {
  complex_matrix[2, 2] M;
  complex_row_vector[2] r;
  complex_matrix[2, 2] S = /* ERROR "ill-typed arguments supplied to infix operator +: left operand has type complex_matrix and right operand has type complex_row_vector" */M + r;
}
