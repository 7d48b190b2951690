// The multimodal example of "Automatic Guide Generation for Stan via
// NumPyro": theta's marginal is an equal mixture of N(0, 1) and N(20, 1).
parameters {
  real cluster;
  real theta;
}
model {
  real mu;
  cluster ~ normal(0, 1);
  if (cluster > 0) mu = 20;
  else mu = 0;
  theta ~ normal(mu, 1);
}
