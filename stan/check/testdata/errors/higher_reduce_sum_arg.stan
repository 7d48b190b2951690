functions {
  real part(array[] real y, int s, int e, vector mu) { return normal_lpdf(y | mu[s:e], 1); }
}
data { array[3] real y; }
parameters { real mu; }
model {
  target += reduce_sum(part, y, 1, /* ERROR "argument 4 of reduce_sum has type real, but the function 'part' takes vector as its parameter mu" */mu);
}
