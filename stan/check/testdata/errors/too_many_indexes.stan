transformed data {
  vector[2] v;
  real x = /* ERROR "too many indexes for a value of type vector" */v[1, 1];
}
