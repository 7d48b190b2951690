transformed data {
  vector[2] v;
  /* ERROR "the variable 'v' is assigned more than once in this unpacking assignment" */(v[1], v[2]) = (1, 2);
}
