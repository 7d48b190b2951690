transformed data {
  real y = /* ERROR "function 'poisson_lpdf' is not implemented for distribution 'poisson', use 'poisson_lpmf' instead" */poisson_lpdf(1 | 2.0);
}
