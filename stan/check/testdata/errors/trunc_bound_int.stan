data { int k; }
parameters { real<lower=0> l; }
model {
  // The CDFs of an int family take an int bound.
  /* ERROR "No matching signature for arguments: (real, real); poisson_lcdf does not take them" */k ~ poisson(l) T[0.5, ];
}
