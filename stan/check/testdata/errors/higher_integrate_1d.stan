functions {
  real f(real x, real xc, array[] real th, array[] real xr, array[] int xi) { return exp(-x); }
}
transformed data { array[0] real xr; array[0] int xi; }
parameters { real k; }
model {
  target += integrate_1d(f, 0, 1, /* ERROR "argument 4 of integrate_1d (the theta) must be of type array[] real, found real" */k, xr, xi);
}
