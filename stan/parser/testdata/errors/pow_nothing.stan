transformed data {
  real x = 2^/* ERROR "expected an expression, found \";\"" */;
}
