functions {
  /* ERROR "function 'f' is declared but not defined" */real f(real x);
}
