functions {
  real f(real x);
  /* ERROR "function 'f' is already declared with these argument types: a function is declared at most once" */real f(real x);
  real f(real x) { return x; }
}
