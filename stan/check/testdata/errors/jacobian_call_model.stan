functions {
  real pos_jacobian(real x) {
    jacobian += x;
    return exp(x);
  }
}
parameters { real y; }
model {
  real s = /* ERROR "functions whose names end in _jacobian are only allowed in the transformed parameters block or other _jacobian functions" */pos_jacobian(y);
}
