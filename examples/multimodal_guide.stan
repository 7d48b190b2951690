// The multimodal example with an explicit guide, as DeepStan writes one
// (Baudart et al. 2021): the guide knows the model's structure, so it can
// put one Gaussian on each mode of theta and still be fitted by SVI.
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
guide parameters {
  real mu_cluster;
  real<lower=0> sigma_cluster;
  real mu_low;
  real mu_high;
  real<lower=0> sigma_low;
  real<lower=0> sigma_high;
}
guide {
  cluster ~ normal(mu_cluster, sigma_cluster);
  if (cluster > 0) theta ~ normal(mu_high, sigma_high);
  else theta ~ normal(mu_low, sigma_low);
}
