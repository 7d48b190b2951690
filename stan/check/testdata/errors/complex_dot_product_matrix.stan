transformed data {
  complex_vector[2] u;
  complex_matrix[2, 2] M;
  complex d = /* ERROR "no matching signature for 'dot_product' with arguments (complex_vector, complex_matrix)" */dot_product(u, M);
}
