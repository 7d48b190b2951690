transformed data {
  vector[2] v;
  matrix[2, 2] m;
  /* ERROR "ill-typed arguments supplied to assignment operator *=" */v *= m;
}
