transformed data {
  real x = 1;
  if (/* ERROR "condition must be of type int, found real" */x) print(x);
}
