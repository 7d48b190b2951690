// Eight schools (Rubin 1981), centred: theta ~ normal(mu, tau) makes the
// funnel NUTS cannot enter at small tau, so the sampler diverges there
// (eight_schools.stan is the non-centred cure).
data {
  int<lower=0> J;
  array[J] real y;
  array[J] real<lower=0> sigma;
}
parameters {
  real mu;
  real<lower=0> tau;
  vector[J] theta;
}
model {
  mu ~ normal(0, 5);
  tau ~ cauchy(0, 5);
  theta ~ normal(mu, tau);
  y ~ normal(theta, sigma);
}
