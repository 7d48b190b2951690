transformed data {
  vector[3] v = [1, 2, 3]';
  complex_matrix[3, 3] t = /* ERROR "no matching signature for 'complex_schur_decompose_t'" */complex_schur_decompose_t(v);
}
