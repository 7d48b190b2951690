// The nested-sampling seed's logistic regression: three coefficients and
// an intercept, data from examples/nested_logistic (go run
// ./examples/nested_logistic -write-data examples/nested_logistic.data.json).
//   go run ./cmd/gostan nested examples/nested_logistic.stan --data examples/nested_logistic.data.json
data {
  int<lower=0> N;
  matrix[N, 3] x;
  array[N] int<lower=0, upper=1> y;
}
parameters {
  vector[3] coefs;
  real intercept;
}
model {
  coefs ~ normal(0, 1);
  intercept ~ normal(0, 10);
  y ~ bernoulli_logit(intercept + x * coefs);
}
