functions {
  vector rhs_rng(real t, vector y, real k) { return -k * y; }
}
data { array[2] real ts; }
generated quantities {
  array[2] vector[1] z = ode_rk45(/* ERROR "functions whose names end in _lp or _rng cannot be passed to ode_rk45" */rhs_rng, [1.0]', 0.0, ts, 1.0);
}
