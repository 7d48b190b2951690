transformed data {
  real a;
  real b;
  /* ERROR "the left side of an assignment must be a variable, possibly indexed" */(a, b) += (1, 2);
}
