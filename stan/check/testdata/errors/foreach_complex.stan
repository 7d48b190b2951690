transformed data {
  complex_vector[2] z = [1, 2]';
  for (x in /* ERROR "a foreach loop needs an array, vector or matrix to loop over, found complex_vector" */z) print(x);
}
