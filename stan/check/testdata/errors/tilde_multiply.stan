parameters { real y; }
model {
  // multiply_log ends in _log but is no density (nor is
  // binomial_coefficient_log): neither names a distribution for ~.
  target += multiply_log(y, 2);
  /* ERROR "no distribution 'multiply' was found" */y ~ multiply(2);
}
