functions {
  real f(tuple(real, vector) x) { return x.1; }
}
transformed data {
  real y = /* ERROR "no matching signature for 'f' with arguments (tuple(real, row_vector))" */f((1.5, [1, 2]));
}
