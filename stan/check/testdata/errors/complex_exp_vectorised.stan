transformed data {
  // Stan does not vectorise the complex special functions, save pow.
  complex_vector[2] v;
  complex_vector[2] e = /* ERROR "no matching signature for 'exp' with arguments (complex_vector)" */exp(v);
}
