functions {
  real f(real x, real xc, array[] real theta, array[] real xr, array[] int xi) { return exp(-theta[1] * x); }
}
transformed data { array[0] real xr; array[0] int xi; }
parameters { real<lower=0> k; }
model {
  // integrate_1d's relative tolerance is data.
  target += integrate_1d(f, 0, 1, {k}, xr, xi, /* ERROR "Ill-typed arguments supplied to function 'integrate_1d': the seventh argument must be data-only" */k * 1e-8);
}
