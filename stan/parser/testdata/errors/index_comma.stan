transformed data {
  matrix[2, 2] m;
  real x = m[1 /* ERROR "expected \",\" or \"]\", found integer literal 2" */2];
}
