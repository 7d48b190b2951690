transformed data {
  real x = /* ERROR "function 'exp' is used as a variable" */exp;
}
