functions {
  real f(real x) { return x; }
  /* ERROR "function 'f' is already defined with these argument types" */real f(real y) { return y; }
}
