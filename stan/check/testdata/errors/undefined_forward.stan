functions {
  real /* ERROR "function 'f' is declared but not defined" */f(real x);
}
