functions {
  real f(real x, real a) { return exp(-a * x); }
}
parameters { real a; }
model {
  target += integrate_1d_double_exponential(/* ERROR "the function 'f' passed to integrate_1d_double_exponential must have the signature (real, real, real) => real" */f, 0, 1, a);
}
