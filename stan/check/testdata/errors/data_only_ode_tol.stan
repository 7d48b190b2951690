functions {
  vector rhs(real t, vector y, real k) { return -k * y; }
}
data { array[2] real ts; }
parameters { real<lower=0> k; real<lower=0> tol; }
model {
  // The tolerances of ode_*_tol are data.
  array[2] vector[1] y = ode_rk45_tol(rhs, [1]', 0, ts, /* ERROR "Ill-typed arguments supplied to function 'ode_rk45_tol': the fifth argument must be data-only" */tol, 1e-8, 1000, k);
}
