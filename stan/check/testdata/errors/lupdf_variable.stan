transformed data {
  real /* ERROR "identifier 'x_lupdf' has a _lupdf/_lupmf suffix, which is only allowed for functions" */x_lupdf = 1;
}
