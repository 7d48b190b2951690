transformed data {
  real x;
  /* ERROR "an expression is not a statement" */x + 1;
}
