functions {
  real f_lpdf(real x, real xc, array[] real th, array[] real xr, array[] int xi) { return -x; }
}
transformed data { array[0] real xr; array[0] int xi; }
parameters { real k; }
model {
  target += integrate_1d(/* ERROR "probability functions (names ending in _lpdf or _lpmf) cannot be passed to integrate_1d, only to reduce_sum" */f_lpdf, 0, 1, {k}, xr, xi);
}
