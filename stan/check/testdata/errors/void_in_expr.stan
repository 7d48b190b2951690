functions {
  void f(real x) { }
}
transformed data {
  real x = /* ERROR "void function 'f' has no value to use in an expression" */f(1);
}
