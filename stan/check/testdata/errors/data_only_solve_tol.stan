functions {
  vector sys(vector y, real a) { return y - a; }
}
parameters { real a; real<lower=0> ftol; }
model {
  // solve_powell_tol's tolerances are data.
  target += solve_powell_tol(sys, [1]', 1e-10, /* ERROR "Ill-typed arguments supplied to function 'solve_powell_tol': the fourth argument must be data-only" */ftol, 100, a)[1];
}
