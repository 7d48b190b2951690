functions {
  vector res(real t, vector y, vector yp, real k) { return yp + k * y; }
}
parameters { real<lower=0> k; real<lower=0> t1; }
model {
  // The initial time and the output times of dae are data.
  array[1] vector[1] y = dae(res, [1]', [-k]', 0, /* ERROR "Ill-typed arguments supplied to function 'dae': the fifth argument must be data-only" */{t1}, k);
}
