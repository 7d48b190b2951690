data {
  matrix[2, 2] y;
}
parameters {
  real mu;
}
model {
  // reals are a real, an array of reals, a vector or a row vector.
  target += /* ERROR "no matching signature for 'normal_lpdf' with arguments (matrix, real, int)" */normal_lpdf(y | mu, 1);
}
