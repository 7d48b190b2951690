functions {
  real f(real x) { return x; }
  real /* ERROR "function 'f' is already defined with these argument types: a declaration comes before the definition" */f(real x);
}
