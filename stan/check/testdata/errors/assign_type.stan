transformed data {
  real x;
  vector[2] v;
  x /* ERROR "ill-typed arguments supplied to assignment operator =: lhs has type real and rhs has type vector" */= v;
}
