transformed data {
  int x = 1;
  x /* ERROR "ill-typed arguments supplied to assignment operator +=: lhs has type int and rhs has type real" */+= 1.5;
}
