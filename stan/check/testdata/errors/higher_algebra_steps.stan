functions {
  vector sys(vector y, vector th, array[] real xr, array[] int xi) { return y - th; }
}
transformed data { array[0] int xi; array[0] real xr; }
parameters { real a; }
model {
  target += sum(algebra_solver(sys, [1]', [a]', xr, xi, 1e-8, 1e-8, /* ERROR "argument 8 of algebra_solver (the control) must be of type real, found array[] int" */xi));
}
