functions {
  vector rhs(real t, vector y, real k) {
    return -k * y;
  }
}
parameters {
  real k;
}
model {
  // The forward absolute tolerance is a vector, one per state.
  array[1] vector[1] y = ode_adjoint_tol_ctl(rhs, [1.0]', 0, {1.0}, 1e-6, /* ERROR "argument 6 of ode_adjoint_tol_ctl (the forward absolute tolerance) must be of type vector, found real" */1e-6, 1e-6, [1e-6]', 1e-6, 1e-6, 1000, 150, 1, 2, 2, k);
}
