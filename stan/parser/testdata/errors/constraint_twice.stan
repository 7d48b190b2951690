data {
  real<lower=0, /* ERROR "lower is given twice" */lower=1> x;
}
