data { real x; }
transformed data {
  /* ERROR "cannot assign to global variable 'x' declared in the data block" */x = 1;
}
