functions {
  real foo_lpdf(real y, real mu) { return -square(y - mu); }
  real foo_lcdf(real y, real mu) { return -y; }
}
parameters { real y; }
model {
  y ~ /* ERROR "truncation needs foo_lccdf, which is not defined" */foo(0) T[0, ];
}
