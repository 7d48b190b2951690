functions {
  array[] real rhs(real t, array[] real y, data array[] real theta, data array[] real x_r, data array[] int x_i) { return y; }
}
data { array[2] real ts; array[0] real xr; array[0] int xi; }
parameters { array[2] real y0; array[1] real theta; }
model {
  array[2, 2] real z = integrate_ode_rk45(/* ERROR "the function 'rhs' passed to integrate_ode_rk45 must not declare its parameter theta data" */rhs, y0, 0, ts, theta, xr, xi);
}
