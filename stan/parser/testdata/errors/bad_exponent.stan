transformed data {
  real x = /* ERROR "exponent has no digits in 1e" */1e;
}
