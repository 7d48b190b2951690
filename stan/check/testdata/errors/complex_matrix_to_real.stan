transformed data {
  complex_matrix[2, 2] M;
  matrix[2, 2] R = /* ERROR "cannot initialise R of type matrix with a value of type complex_matrix" */M * 2;
}
