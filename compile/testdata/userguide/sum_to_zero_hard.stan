// User's Guide (before 2.36), "K - 1 degrees of freedom": the same model
// with the last component the negated sum of the others; the map is
// linear, so the same prior on beta gives the same posterior.
data {
  int<lower=2> K;
  int<lower=0> N;
  array[N] int<lower=1, upper=K> g;
  vector[N] y;
}
parameters {
  real alpha;
  vector[K - 1] beta_raw;
  real<lower=0> sigma;
}
transformed parameters {
  vector[K] beta = append_row(beta_raw, -sum(beta_raw));
}
model {
  alpha ~ normal(0, 5);
  beta ~ normal(0, inv(sqrt(1 - inv(K))));
  sigma ~ std_normal();
  y ~ normal(alpha + beta[g], sigma);
}
