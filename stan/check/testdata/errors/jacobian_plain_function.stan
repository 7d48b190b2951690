functions {
  real f(real x) {
    /* ERROR "jacobian += is only allowed in the transformed parameters block or in functions whose names end in _jacobian" */jacobian += x;
    return x;
  }
}
parameters { real y; }
