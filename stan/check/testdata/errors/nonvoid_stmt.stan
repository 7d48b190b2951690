transformed data {
  /* ERROR "function 'exp' returns real, so its value must be used" */exp(1);
}
