transformed data {
  vector[/* ERROR "random number generators are not allowed in the sizes of top-level declarations" */poisson_rng(3)] v;
}
