functions {
  real f(real x) { return x; }
  /* ERROR "function 'f' is already defined with these argument types: a declaration comes before the definition" */real f(real x);
}
