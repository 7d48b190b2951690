transformed data {
  matrix[2, 2] m = [[1, 2], [3, 4]];
  matrix[2, 2] k = m / m;
  /* ERROR "ill-typed arguments supplied to assignment operator /=: lhs has type matrix and rhs has type matrix" */m /= m;
}
