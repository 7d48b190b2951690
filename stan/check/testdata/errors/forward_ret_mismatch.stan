functions {
  real f(real x);
  /* ERROR "function 'f' was declared to return real, but is defined to return vector" */vector f(real x) { return [x]'; }
}
