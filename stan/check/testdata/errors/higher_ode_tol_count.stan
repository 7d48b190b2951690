functions {
  vector rhs(real t, vector y, real k) { return -k * y; }
}
data { array[2] real ts; }
parameters { real k; }
transformed parameters {
  array[2] vector[1] z = ode_rk45_tol(rhs, [1.0]', 0.0, ts, 1e-6, 1e-6/* ERROR "ode_rk45_tol takes the function, then (vector initial_state, real initial_time, array[] real times, real relative_tolerance, real absolute_tolerance, int maximum_number_of_steps)" */);
}
model { k ~ normal(0, 1); }
