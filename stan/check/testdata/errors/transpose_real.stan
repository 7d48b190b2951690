transformed data {
  real x = 1;
  real y = /* ERROR "the transpose operator ' needs a vector, row_vector or matrix, found real" */x';
}
