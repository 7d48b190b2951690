// examples/laplace_poisson_gp.stan with the latent function sampled by
// NUTS (non-centred), for comparison with the embedded Laplace
// approximation.
data {
  int<lower=1> n;
  array[n] real x;
  array[n] int<lower=0> y;
  vector<lower=0>[n] exposure;
}
parameters {
  real<lower=0> alpha;
  real<lower=0> rho;
  vector[n] z;
}
transformed parameters {
  vector[n] f = cholesky_decompose(add_diag(gp_exp_quad_cov(x, alpha, rho), 1e-8)) * z;
}
model {
  alpha ~ normal(0, 1);
  rho ~ inv_gamma(5, 5);
  z ~ std_normal();
  y ~ poisson_log(log(exposure) + f);
}
