data {
  real x;
  /* ERROR "only variable declarations are allowed in the data block" */print(x);
}
