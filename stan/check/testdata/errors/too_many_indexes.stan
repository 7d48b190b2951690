transformed data {
  vector[2] v;
  real x = v/* ERROR "too many indexes for a value of type vector" */[1, 1];
}
