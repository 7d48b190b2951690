transformed data {
  vector[2] v;
  row_vector[2] r = [1, /* ERROR "a row vector expression [...] needs scalars" */v];
}
