model {
  int K = 3;
  {
    column_stochastic_matrix[K, K] m[/* ERROR "the old array syntax m[...] cannot declare a column_stochastic_matrix" */2];
  }
}
