functions {
  real f(tuple(/* ERROR "only a whole function argument can be qualified data" */data real, int) t) { return t.1; }
}
