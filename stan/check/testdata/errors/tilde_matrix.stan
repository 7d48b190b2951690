parameters { matrix[2, 2] m; }
model {
  /* ERROR "no distribution 'normal' accepts arguments (matrix, int, int)" */m ~ normal(0, 1);
}
