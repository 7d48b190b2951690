functions {
  real f(real x, real xc, real a) { return exp(-a * x); }
}
parameters { real a; }
model {
  // The tolerances of the _tol forms must be data.
  target += integrate_1d_gauss_kronrod_tol(f, 0, 1, /* ERROR "the fourth argument must be data-only" */a * 1e-8, 0, 10, a);
}
