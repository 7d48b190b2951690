data {
  row_vector[3] theta;
}
generated quantities {
  int k = /* ERROR "no matching signature for 'categorical_rng' with arguments (row_vector)" */categorical_rng(theta);
}
