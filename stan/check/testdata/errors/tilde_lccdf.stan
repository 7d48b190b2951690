functions {
  real foo_lpdf(real y, real mu) { return -square(y - mu); }
  real foo_lccdf(real y, real mu) { return -y; }
}
parameters { real y; }
model {
  y ~ /* ERROR "CDFs and CCDFs cannot be used in ~ statements: 'foo_lccdf' is not a density" */foo_lccdf(0);
}
