transformed data {
  real x = exp(1/* ERROR "expected \",\" or \")\", found \";\"" */;
}
