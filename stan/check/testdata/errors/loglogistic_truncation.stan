parameters {
  real<lower=0.5, upper=2> y;
}
model {
  // loglogistic has a _cdf but no _lcdf or _lccdf, which truncation needs.
  /* ERROR "Truncation is only defined if distribution has _lcdf and _lccdf functions implemented with appropriate signature. No matching signature for arguments: (real, int, int)" */y ~ loglogistic(1, 3) T[0.5, 2];
}
