functions {
  vector sys(vector y, vector th, array[] real xr, array[] int xi) { return y - th; }
}
transformed data { array[0] int xi; }
parameters { real a; }
model {
  target += sum(algebra_solver(sys, [1]', [a]', /* ERROR "Ill-typed arguments supplied to function 'algebra_solver': the fourth argument must be data-only" */{a}, xi));
}
