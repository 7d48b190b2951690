// User's Guide, "Gaussian Processes": the built-in Poisson likelihood with
// y_index (one-based, as Stan Math reads it) and a prior mean m.
functions {
  matrix cov_function(real rho, real alpha, array[] real x, int N, real delta) {
    matrix[N, N] K = gp_exp_quad_cov(x, alpha, rho);
    return add_diag(K, delta);
  }
}
data {
  int<lower=1> N;
  array[N] real x;
  array[N] int<lower=0> y;
}
transformed data {
  real delta = 1e-9;
  int n_obs = N;
  array[n_obs] int y_index;
  for (i in 1:n_obs) y_index[i] = i;
}
parameters {
  real<lower=0> rho;
  real<lower=0> alpha;
  real a;
}
transformed parameters {
  vector[N] m = rep_vector(a, N);
}
model {
  rho ~ inv_gamma(5, 5);
  alpha ~ std_normal();
  a ~ std_normal();
  target += laplace_marginal_poisson_log_lpmf(y | y_index, m,
                                       cov_function, (rho, alpha, x, N, delta));
}
generated quantities {
  vector[N] f = laplace_latent_poisson_log_rng(y, y_index, m,
                                   cov_function, (rho, alpha, x, N, delta));
}
