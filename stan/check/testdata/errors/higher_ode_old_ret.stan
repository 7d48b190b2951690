functions {
  vector rhs(real t, array[] real y, array[] real th, array[] real xr, array[] int xi) { return [y[1]]'; }
}
data { array[2] real ts; }
transformed data { array[0] real xr; array[0] int xi; }
parameters { real k; }
transformed parameters {
  array[2, 1] real z = integrate_ode_rk45(/* ERROR "the function 'rhs' passed to integrate_ode_rk45 must have the signature (real, array[] real, array[] real, array[] real, array[] int) => array[] real" */rhs, {1.0}, 0.0, ts, {k}, xr, xi);
}
model { k ~ normal(0, 1); }
