functions {
  real part(data array[] real s, int start, int end) { return sum(s); }
}
parameters { array[3] real y; }
model {
  target += reduce_sum(part, /* ERROR "Ill-typed arguments supplied to function 'reduce_sum': the second argument must be data-only" */y, 1);
}
