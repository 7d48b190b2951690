model {
  real x = 1;
  for (i in /* ERROR "a foreach loop needs an array, vector or matrix to loop over, found real" */x) { }
}
