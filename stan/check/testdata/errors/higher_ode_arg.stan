functions {
  vector rhs(real t, vector y, real k) { return -k * y; }
}
data { array[2] real ts; }
parameters { real k; }
transformed parameters {
  array[2] vector[1] z = ode_rk45(rhs, [1.0]', 0.0, ts, /* ERROR "argument 5 of ode_rk45 has type vector, but the function 'rhs' takes real as its parameter k" */[k]');
}
model { k ~ normal(0, 1); }
