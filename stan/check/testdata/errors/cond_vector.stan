transformed data {
  vector[2] v;
  real x = /* ERROR "condition must be of type int or real, found vector" */v ? 1 : 2;
}
