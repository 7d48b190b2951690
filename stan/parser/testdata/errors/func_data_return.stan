functions {
  /* ERROR "only a whole function argument can be qualified data" */data real f(real x) { return x; }
}
