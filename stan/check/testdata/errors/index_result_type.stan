transformed data {
  matrix[2, 2] m;
  real x;
  /* ERROR "lhs has type real and rhs has type row_vector" */x = m[1];
}
