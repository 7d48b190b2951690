functions {
  real f(real x);
  real /* ERROR "function 'f' is declared but not defined" */f(vector x);
  real f(real x) { return x; }
}
