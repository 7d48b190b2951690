transformed data {
  array[1] tuple(int, int) tup;
  int i = 1;
  /* ERROR "the variable 'tup' is assigned more than once in this unpacking assignment" */(tup[i].1, tup[i].1) = (1, 2);
}
