transformed data {
  complex_matrix[2, 2] M;
  /* ERROR "cannot initialise R of type matrix with a value of type complex_matrix" */matrix[2, 2] R = M * 2;
}
