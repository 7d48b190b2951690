// A coin's bias from ten flips, with a beta guide: the posterior is
// beta(1 + heads, 1 + tails), which the guide can match exactly.
data {
  int<lower=0> N;
  array[N] int<lower=0, upper=1> x;
}
parameters {
  real<lower=0, upper=1> z;
}
model {
  z ~ beta(1, 1);
  x ~ bernoulli(z);
}
guide parameters {
  real<lower=0> alpha_q;
  real<lower=0> beta_q;
}
guide {
  z ~ beta(alpha_q, beta_q);
}
