data {
  array[2] int lo;
}
parameters {
  array[2] real<lower=/* ERROR "bound of type array[] int does not match the declared type array[] real" */lo> x;
}
