functions {
  real f(real x);
  real /* ERROR "function 'f' is already declared with these argument types: a function is declared at most once" */f(real x);
  real f(real x) { return x; }
}
