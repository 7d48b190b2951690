transformed data {
  tuple(int, real) t;
  t.1 /* ERROR "lhs has type int and rhs has type real" */= 2.5;
}
