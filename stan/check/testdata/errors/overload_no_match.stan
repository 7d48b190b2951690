functions {
  real f(real x) { return x; }
  real f(vector x) { return sum(x); }
}
transformed data {
  real y = /* ERROR "no matching signature for 'f' with arguments (matrix)" */f(rep_matrix(1, 2, 2));
}
