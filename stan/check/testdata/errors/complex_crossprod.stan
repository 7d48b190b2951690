transformed data {
  // crossprod and tcrossprod have no complex forms.
  complex_matrix[2, 2] M;
  complex_matrix[2, 2] C = /* ERROR "no matching signature for 'crossprod' with arguments (complex_matrix)" */crossprod(M);
}
