functions {
  real part(array[] tuple(real, real) s, int start, int end) { return 0; }
}
data { array[3] tuple(real, real) y; }
model {
  target += reduce_sum_static(part, /* ERROR "the sliced argument of reduce_sum_static must be an array of int, real, vector, row_vector or matrix, found array[] tuple(real, real)" */y, 1);
}
