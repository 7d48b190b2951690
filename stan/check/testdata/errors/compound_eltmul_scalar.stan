transformed data {
  real x = 2;
  vector[2] v = [1, 2]';
  v .*= v;
  /* ERROR "ill-typed arguments supplied to assignment operator .*=: lhs has type real and rhs has type real" */x .*= 2.0;
}
