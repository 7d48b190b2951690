transformed data {
  real x = /* ERROR "no matching signature for 'exp' with arguments (real, real)" */exp(1.0, 2.0);
}
