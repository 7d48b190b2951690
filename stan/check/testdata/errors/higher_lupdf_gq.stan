functions {
  real part_lpdf(array[] real y, int s, int e, real mu) { return normal_lpdf(y | mu, 1); }
}
data { array[3] real y; }
parameters { real mu; }
model { target += reduce_sum(part_lupdf, y, 1, mu); }
generated quantities {
  real lp = reduce_sum(/* ERROR "pass part_lpdf here" */part_lupdf, y, 1, mu);
}
