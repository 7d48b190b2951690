transformed data {
  real x;
  /* ERROR "the left side of an assignment must be a variable" */exp(x) = 3;
}
