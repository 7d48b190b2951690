functions {
  real f(real x);
  /* ERROR "function 'f' is declared but not defined" */real f(vector x);
  real f(real x) { return x; }
}
