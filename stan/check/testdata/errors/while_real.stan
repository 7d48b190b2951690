transformed data {
  real x = 1;
  while (/* ERROR "condition must be of type int, found real" */x) x = 0;
}
