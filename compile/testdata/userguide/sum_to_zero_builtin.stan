// User's Guide, "Parameterizing centered vectors": the built-in
// sum_to_zero_vector with Goodman's prior, which gives each component a
// standard normal marginal, in a varying-intercept regression.
data {
  int<lower=2> K;
  int<lower=0> N;
  array[N] int<lower=1, upper=K> g;
  vector[N] y;
}
parameters {
  real alpha;
  sum_to_zero_vector[K] beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 5);
  beta ~ normal(0, inv(sqrt(1 - inv(K))));
  sigma ~ std_normal();
  y ~ normal(alpha + beta[g], sigma);
}
generated quantities {
  real total = sum(beta);
  vector[K - 1] free = sum_to_zero_unconstrain(beta);
  real roundtrip = max(abs(sum_to_zero_constrain(free) - beta));
}
