transformed data {
  real x = 1, /* ERROR "identifier 'x' is already in use" */x;
}
