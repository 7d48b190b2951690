transformed data {
  real a;
  /* ERROR "the variable 'a' is assigned more than once in this unpacking assignment" */(a, a) = (1, 2);
}
