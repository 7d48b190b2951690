transformed data {
  array[3] real y;
  real x = y[1/* ERROR "expected \",\" or \"]\", found \";\"" */;
}
