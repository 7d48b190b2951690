// Scalar densities that no loop gathers (deferred.go defers none in a
// function): each element's normal, Cauchy and exponential terms are
// separate calls, ~ statements and an _lpdf call, with scales that
// repeat. Written for gostan's scalar-loop benchmarks.
functions {
  void lik_lp(array[] real y, real mu, real sigma, real lam) {
    for (n in 1 : size(y)) {
      y[n] ~ normal(mu, sigma);
      y[n] ~ cauchy(mu, 2.5);
      target += exponential_lpdf(abs(y[n]) | lam);
    }
  }
}
data {
  int<lower=0> N;
  array[N] real y;
}
parameters {
  real mu;
  real<lower=0> sigma;
  real<lower=0> lam;
}
model {
  mu ~ normal(0, 5);
  sigma ~ cauchy(0, 5);
  lam ~ exponential(1);
  lik_lp(y, mu, sigma, lam);
}
