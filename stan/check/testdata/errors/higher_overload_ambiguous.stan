functions {
  real part(array[] real y, int s, int e, real a, int b) { return 0; }
  real part(array[] real y, int s, int e, int a, real b) { return 0; }
}
data { array[3] real y; }
model {
  target += reduce_sum(/* ERROR "the function 'part' passed to reduce_sum is ambiguous" */part, y, 1, 1, 1);
}
