transformed data {
  real x;
  vector[2] v;
  /* ERROR "ill-typed arguments supplied to assignment operator =: lhs has type real and rhs has type vector" */x = v;
}
