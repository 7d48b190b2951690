functions {
  vector rhs(real t, vector y, real k) { return -k * y; }
}
data { array[2] real ts; }
parameters { real k; }
transformed parameters {
  array[2] vector[1] z = ode_bdf(rhs, /* ERROR "argument 2 of ode_bdf (the initial state) must be of type vector, found array[] real" */{1.0}, 0.0, ts, k);
}
model { k ~ normal(0, 1); }
