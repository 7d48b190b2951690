functions {
  vector sys(vector y, vector th, array[] real xr, array[] int xi) { return y - th; }
}
transformed data { array[0] int xi; }
parameters { real a; }
model {
  target += sum(algebra_solver(sys, [1]', [a]', /* ERROR "argument 4 of algebra_solver must be data only, but depends on parameters" */{a}, xi));
}
