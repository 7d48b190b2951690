transformed data {
  tuple(real, vector[2]) t;
  /* ERROR "ill-typed arguments supplied to assignment operator =: lhs has type tuple(real, vector) and rhs has type tuple(int, row_vector)" */t = (1, [1, 2]);
}
