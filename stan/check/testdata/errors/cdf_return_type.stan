functions {
  /* ERROR "real return type required for a probability function ending in _cdf" */vector foo_cdf(real y, real mu) { return [y]'; }
}
