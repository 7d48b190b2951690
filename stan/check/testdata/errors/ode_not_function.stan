transformed data {
  array[1] real y0;
  array[1] real ts;
  array[1, 1] real y = integrate_ode_rk45(/* ERROR "the first argument of integrate_ode_rk45 must name a user-defined function" */y0, y0, 0, ts, y0, y0, {1});
}
