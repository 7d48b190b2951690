functions {
  real part(real y, int s, int e) { return y; }
}
parameters { real mu; }
model {
  target += reduce_sum(part, /* ERROR "the sliced argument of reduce_sum must be an array, found real" */mu, 1);
}
