functions {
  vector /* ERROR "real return type required for a probability function ending in _cdf" */foo_cdf(real y, real mu) { return [y]'; }
}
