transformed data {
  int x = 1;
  /* ERROR "ill-typed arguments supplied to assignment operator +=: lhs has type int and rhs has type real" */x += 1.5;
}
