// User's Guide, "Gaussian Processes": logistic GP regression with an
// embedded Laplace approximation (the missing semicolon after add_diag
// supplied, the data block and priors taken from the latent form).
functions {
  real ll_function(vector f, real a, array[] int z) {
    return bernoulli_logit_lpmf(z | a + f);
  }
  matrix cov_function(real rho, real alpha, array[] real x, int N, real delta) {
    matrix[N, N] K = gp_exp_quad_cov(x, alpha, rho);
    return add_diag(K, delta);
  }
}
data {
  int<lower=1> N;
  array[N] real x;
  array[N] int<lower=0, upper=1> z;
}
transformed data {
  real delta = 1e-9;
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
  target += laplace_marginal(ll_function, (a, z),
                             cov_function, (rho, alpha, x, N, delta));
}
generated quantities {
  vector[N] f = laplace_latent_rng(ll_function, (a, z),
                                   cov_function, (rho, alpha, x, N, delta));
}
