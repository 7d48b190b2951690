transformed data {
  real x = 1 ? 2 /* ERROR "expected \":\", found \";\"" */;
}
