parameters { matrix[2, 2] m; }
model {
  m ~ /* ERROR "no distribution 'normal' accepts arguments (matrix, int, int)" */normal(0, 1);
}
