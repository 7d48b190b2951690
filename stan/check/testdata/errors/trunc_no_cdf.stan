functions {
  real foo_lpdf(real y, real mu) { return -square(y - mu); }
  real foo_lcdf(real y, real mu) { return -y; }
}
parameters { real y; }
model {
  y ~ /* ERROR "truncation is only defined if the distribution has _lcdf and _lccdf functions: foo_lccdf is not defined" */foo(0) T[0, 1];
}
