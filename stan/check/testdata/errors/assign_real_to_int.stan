transformed data {
  int n;
  n /* ERROR "lhs has type int and rhs has type real" */= 2.5;
}
