transformed data {
  // The eigendecomposition is of a square matrix, not of a vector.
  complex_vector[2] z;
  complex_vector[2] e = /* ERROR "no matching signature for 'eigenvalues' with arguments (complex_vector)" */eigenvalues(z);
}
