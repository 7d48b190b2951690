functions {
  real /* ERROR "function 'exp' is already defined in the Stan library" */exp(real x) { return x; }
}
