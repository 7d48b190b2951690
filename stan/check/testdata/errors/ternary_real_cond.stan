transformed data {
  real c = 0.5;
  real x = /* ERROR "ill-typed arguments supplied to ? : operator: the condition must be of type int, found real" */c ? 1 : 2;
}
