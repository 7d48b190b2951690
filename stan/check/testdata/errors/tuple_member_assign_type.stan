transformed data {
  tuple(int, real) t;
  /* ERROR "lhs has type int and rhs has type real" */t.1 = 2.5;
}
