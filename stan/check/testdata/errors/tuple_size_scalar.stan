transformed data {
  tuple(int, real) a = (1, 2.5);
  int n = /* ERROR "no matching signature for 'size' with arguments (tuple(int, real))" */size(a);
}
