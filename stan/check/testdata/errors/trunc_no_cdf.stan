functions {
  real foo_lpdf(real y, real mu) { return -square(y - mu); }
  real foo_lcdf(real y, real mu) { return -y; }
}
parameters { real y; }
model {
  // Stan requires both CDFs, for either bound; the error is the statement's.
  /* ERROR "Truncation is only defined if distribution has _lcdf and _lccdf functions implemented with appropriate signature. No matching signature for arguments: (int, int); foo_lccdf is not defined" */y ~ foo(0) T[0, 1];
}
