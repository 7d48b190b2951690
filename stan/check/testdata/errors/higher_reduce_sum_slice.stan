functions {
  real part(array[] int y, int s, int e, real mu) { return 0; }
}
data { array[3] real y; }
parameters { real mu; }
model {
  target += reduce_sum(/* ERROR "the function 'part' passed to reduce_sum must have the signature (array[] real, int, int, real) => real, but it has (array[] int, int, int, real) => real" */part, y, 1, mu);
}
