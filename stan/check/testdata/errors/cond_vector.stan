transformed data {
  vector[2] v;
  real x = /* ERROR "ill-typed arguments supplied to ? : operator: the condition must be of type int, found vector" */v ? 1 : 2;
}
