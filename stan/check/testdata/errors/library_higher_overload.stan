functions {
  real /* ERROR "function 'integrate_1d' is a higher-order function of the Stan library, which cannot be overloaded" */integrate_1d(real x) { return x; }
}
