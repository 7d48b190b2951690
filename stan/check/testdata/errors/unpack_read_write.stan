transformed data {
  int x = 1;
  vector[2] y;
  /* ERROR "the variable 'x' is assigned in this unpacking assignment, so it cannot be read in an index on its left side" */(x, y[x]) = (2, 2);
}
