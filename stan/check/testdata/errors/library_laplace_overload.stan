functions {
  real /* ERROR "function 'laplace_marginal_poisson_log_lpmf' is a higher-order function of the Stan library, which cannot be overloaded" */laplace_marginal_poisson_log_lpmf(array[] int y, real x) { return x; }
}
