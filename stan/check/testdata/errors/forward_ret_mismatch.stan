functions {
  real f(real x);
  vector /* ERROR "function 'f' was declared to return real, but is defined to return vector" */f(real x) { return [x]'; }
}
