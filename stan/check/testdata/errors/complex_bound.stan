data {
  /* ERROR "complex variables cannot have bounds" */complex<lower=0> z;
}
