functions {
  real f(real x) {
    /* ERROR "target += is only allowed in the model block or in functions whose names end in _lp" */target += x;
    return x;
  }
}
