functions {
  real f_lp(real x) { return x; }
}
generated quantities {
  real y = /* ERROR "functions whose names end in _lp are only allowed" */f_lp(1);
}
