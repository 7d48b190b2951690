functions {
  real f(real x) { return x; }
  real /* ERROR "function 'f' is already defined with these argument types" */f(real y) { return y; }
}
