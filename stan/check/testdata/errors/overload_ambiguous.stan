functions {
  real foo(int a, real b) { return a + b; }
  real foo(real a, int b) { return a - b; }
}
transformed data {
  real x = foo(1.5, 2) + foo(1, 2.5);
  real y = /* ERROR "ambiguous call to 'foo' with arguments (int, int)" */foo(1, 2);
}
