parameters { real<lower=0, upper=1> p; }
model {
  // Stan 2.40's poisson_binomial takes the trials' probabilities as a
  // vector (or vectors), never a real.
  target += /* ERROR "poisson_binomial_lpmf" */poisson_binomial_lpmf(1 | p);
}
