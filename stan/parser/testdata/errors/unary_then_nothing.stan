transformed data {
  real x = -/* ERROR "expected an expression, found \";\"" */;
}
