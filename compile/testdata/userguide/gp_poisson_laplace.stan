// User's Guide, "Gaussian Processes": Poisson GP with an embedded Laplace
// approximation, a user likelihood and covariance function; the _tol forms
// with every control set (the manual's missing semicolon and `int` added).
functions {
  // log likelihood function
  real ll_function(vector f, real a, array[] int y) {
    return poisson_log_lpmf(y | a + f);
  }
  // covariance function
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
  vector[N] f_init = rep_vector(0, N);
  real tol = 1e-6;
  int max_num_steps = 1000;
  int hessian_block_size = 1;
  int solver = 1;
  int max_steps_linesearch = 0;
}
parameters {
  real<lower=0> rho;
  real<lower=0> alpha;
  real a;
}
model {
  rho ~ inv_gamma(5, 5);
  alpha ~ std_normal();
  a ~ std_normal();
  target += laplace_marginal(ll_function, (a, y),
                             cov_function, (rho, alpha, x, N, delta));
}
generated quantities {
  vector[N] f = laplace_latent_rng(ll_function, (a, y),
                                   cov_function, (rho, alpha, x, N, delta));
  vector[N] f2 = laplace_latent_tol_rng(ll_function, (a, y),
                                   cov_function, (rho, alpha, x, N, delta),
                                   f_init, tol, max_num_steps,
                                   hessian_block_size, solver,
                                   max_steps_linesearch);
  real lm_tol = laplace_marginal_tol(ll_function, (a, y),
                             cov_function, (rho, alpha, x, N, delta),
                             f_init, tol, max_num_steps, hessian_block_size,
                             solver, max_steps_linesearch);
}
