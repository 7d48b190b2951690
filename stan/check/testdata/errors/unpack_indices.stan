transformed data {
  vector[2] v;
  (v[1], /* ERROR "the variable 'v' is assigned more than once in this unpacking assignment" */v[2]) = (1, 2);
}
