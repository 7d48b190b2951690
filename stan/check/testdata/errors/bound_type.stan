data {
  real<lower=/* ERROR "bound of type vector does not match the declared type real" */rep_vector(0, 2)> x;
}
