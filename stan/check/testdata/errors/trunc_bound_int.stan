data { int k; }
parameters { real<lower=0> l; }
model {
  k ~ poisson(l) T[/* ERROR "a truncation bound of type real does not fit poisson_lcdf" */0.5, ];
}
