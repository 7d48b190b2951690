transformed data {
  real a;
  (a, /* ERROR "the variable 'a' is assigned more than once in this unpacking assignment" */a) = (1, 2);
}
