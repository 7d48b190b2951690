transformed data {
  vector[2] v;
  row_vector[2] r = /* ERROR "a row vector expression [...] needs scalars" */[1, v];
}
