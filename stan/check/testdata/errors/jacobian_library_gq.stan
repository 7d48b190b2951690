parameters { real y; }
generated quantities {
  real s = /* ERROR "functions whose names end in _jacobian are only allowed in the transformed parameters block or other _jacobian functions" */lower_bound_jacobian(y, 0);
}
