functions {
  vector sys(vector y, real a, data real c) { return y - a * c; }
}
parameters { real a; }
model {
  target += sum(solve_powell(sys, [1]', 2, /* ERROR "Ill-typed arguments supplied to function 'solve_powell': the fourth argument must be data-only" */a));
}
