transformed data {
  matrix[3, 3] m = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
  array[2, 3] real a = {{1, 2, 3}, {4, 5, 6}};
  array[2] vector[3] av = {[1, 2, 3]', [4, 5, 6]'};
}
parameters {
  real x;
}
model {
  x ~ normal(0, 1);
}
generated quantities {
  vector[2] c = m[2:3, 1];
  row_vector[2] r = m[3, {1, 3}];
  matrix[2, 2] s = m[{1, 3}, 2:3];
  array[2] real ac = a[:, 2];
  array[3] real ar = a[2];
  vector[2] avs = av[2, 2:3];
  array[2] real avc = av[:, 3];
  matrix[3, 3] w = m;
  w[2:3, {1, 3}] = [[10, 11], [12, 13]];
  vector[3] wcol = w[:, 3];
}
