transformed data {
  real x = (3 + 4/* ERROR "expected \")\", found \";\"" */;
}
