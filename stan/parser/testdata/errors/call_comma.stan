transformed data {
  real x = fmax(1 /* ERROR "expected \",\" or \")\", found integer literal 2" */2);
}
