// A Poisson GP with the latent function marginalised by the embedded
// Laplace approximation (Stan Functions Reference, "Embedded Laplace
// Approximation"): counts y[i] ~ Poisson(exposure[i] * exp(f(x[i]))),
// f ~ GP(0, k) with a squared exponential kernel. NUTS samples only the
// kernel's magnitude and length scale; laplace_latent_poisson_log_rng
// draws f given them. examples/laplace_poisson_gp_full.stan samples the
// same model with f written out.
functions {
  matrix K(data array[] real x, real alpha, real rho) {
    return add_diag(gp_exp_quad_cov(x, alpha, rho), 1e-8);
  }
}
data {
  int<lower=1> n;
  array[n] real x;
  array[n] int<lower=0> y;
  vector<lower=0>[n] exposure;
}
transformed data {
  array[n] int idx = linspaced_int_array(n, 1, n);
  vector[n] log_exposure = log(exposure);
}
parameters {
  real<lower=0> alpha;
  real<lower=0> rho;
}
model {
  alpha ~ normal(0, 1);
  rho ~ inv_gamma(5, 5);
  y ~ laplace_marginal_poisson_log(idx, log_exposure, K, (x, alpha, rho));
}
generated quantities {
  vector[n] f = laplace_latent_poisson_log_rng(y, idx, log_exposure, K, (x, alpha, rho));
}
