functions {
  real f(real x) { return x; }
}
transformed data {
  print("f is ", /* ERROR "functions cannot be printed" */f);
}
