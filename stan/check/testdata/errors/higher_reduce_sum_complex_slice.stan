functions {
  real part(array[] complex s, int start, int end) { return 0; }
}
data { array[3] complex y; }
model {
  target += reduce_sum(part, /* ERROR "the sliced argument of reduce_sum must be an array of int, real, vector, row_vector or matrix, found array[] complex" */y, 1);
}
