transformed data {
  real /* ERROR "identifier 'var' clashes with a reserved keyword" */var = 1;
}
