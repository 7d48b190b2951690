data {
  tuple(real<lower=/* ERROR "bound of type vector does not match the declared type real" */[1]'>, int) d;
}
