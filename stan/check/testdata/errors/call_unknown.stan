transformed data {
  real x = /* ERROR "a function 'foo' is not defined" */foo(1);
}
