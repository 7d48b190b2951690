transformed data {
  real f = 1;
  real x = /* ERROR "'f' is a variable, not a function" */f(1);
}
