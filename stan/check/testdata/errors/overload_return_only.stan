functions {
  real baz(int x) { return x; }
  /* ERROR "function 'baz' is already defined with these argument types (overloads must differ in their argument types, not only in their return types)" */int baz(int x) { return x; }
}
