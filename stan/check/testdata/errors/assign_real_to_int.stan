transformed data {
  int n;
  /* ERROR "lhs has type int and rhs has type real" */n = 2.5;
}
