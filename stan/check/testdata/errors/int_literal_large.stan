transformed data {
  int n = /* ERROR "integer literal 2147483648 is too large: ints cannot be larger than 2147483647" */2147483648;
  real ok = 2147483647;
}
