transformed data {
  real x = /* ERROR "identifier 'y' not in scope" */y, y = 1;
}
