// Functions Reference, "Zero-sum vectors": sum_to_zero_jacobian builds
// the built-in type from K - 1 free values (its Jacobian is constant).
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
  sum_to_zero_vector[K] beta = sum_to_zero_jacobian(beta_raw);
}
model {
  alpha ~ normal(0, 5);
  beta ~ normal(0, inv(sqrt(1 - inv(K))));
  sigma ~ std_normal();
  y ~ normal(alpha + beta[g], sigma);
}
generated quantities {
  real recovered = max(abs(sum_to_zero_unconstrain(beta) - beta_raw));
}
