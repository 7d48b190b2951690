parameters { real<lower=0> hi; }
model {
  // linspaced_vector(int n, data real lower, data real upper).
  target += sum(linspaced_vector(3, 0, /* ERROR "Ill-typed arguments supplied to function 'linspaced_vector': the third argument must be data-only" */hi));
}
