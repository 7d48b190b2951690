functions {
  real foo_lpdf(vector y, vector mu) { return -dot_self(y - mu); }
  real foo_lcdf(real y, vector mu) { return -y * sum(mu); }
  real foo_lccdf(real y, real mu) { return -y * mu; }
}
parameters { vector[3] y; vector[3] mu; }
model {
  // Vectorised, the CDFs take the parameters as written: foo_lccdf has
  // no form for a vector.
  /* ERROR "No matching signature for arguments: (int, vector); foo_lccdf does not take them" */y ~ foo(mu) T[0, ];
}
