functions {
  real foo_lpdf(real y, real mu) { return -square(y - mu); }
  real foo_lccdf(real y, real mu) { return -y; }
}
parameters { real y; }
model {
  /* ERROR "CDFs and CCDFs cannot be used in ~ statements: 'foo_lccdf' is not a density" */y ~ foo_lccdf(0);
}
