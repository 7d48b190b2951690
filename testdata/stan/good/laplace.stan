// The embedded Laplace approximation of Stan 2.37: the general forms with
// a user likelihood and covariance function, the built-in likelihoods as
// _lpmf, _lupmf and ~ statements, their _tol forms with the Newton
// solver's controls, and the latent draws; tuples of arguments given as
// literals and as a variable, with tuple members. Then the later forms:
// a positional hessian_block_size, the _tol controls in one tuple.
functions {
  real ll(vector theta, real sigma, data vector y) {
    return normal_lpdf(y | theta, sigma);
  }
  real llt(vector theta, tuple(real, vector) p, int one) {
    return one * normal_lpdf(p.2 | theta, p.1);
  }
  matrix K(data array[] real x, real alpha, real rho) {
    return add_diag(gp_exp_quad_cov(x, alpha, rho), 1e-8);
  }
}
transformed data {
  int n = 4;
  array[4] real x = {-1, -0.2, 0.5, 1.4};
  vector[4] y = [0.4, -0.3, 0.9, 0.1]';
  array[5] int cnt = {2, 0, 3, 1, 4};
  array[5] int bin = {1, 0, 1, 1, 0};
  array[5] int grp = {1, 2, 2, 3, 4};
  vector[4] theta0 = rep_vector(0, 4);
  tuple(array[4] real, real, real) fixed = (x, 1.0, 0.8);
  tuple(vector[4], real, int, int, int, int) ops = (theta0, 1e-8, 100, 1, 10, 1);
}
parameters {
  real<lower=0> sigma;
  real<lower=0> alpha;
  real<lower=0> rho;
  real<lower=0> phi;
  vector[4] m;
}
model {
  sigma ~ lognormal(0, 1);
  alpha ~ lognormal(0, 1);
  rho ~ lognormal(0, 1);
  phi ~ lognormal(0, 1);
  m ~ normal(0, 1);
  target += laplace_marginal(ll, (sigma, y), K, (x, alpha, rho));
  target += laplace_marginal_tol(ll, (sigma, y), K, fixed, theta0, 1e-8, 100, 2, 1, 5);
  cnt ~ laplace_marginal_poisson_log(grp, m, K, (x, alpha, rho));
  cnt ~ laplace_marginal_tol_neg_binomial_2_log(grp, phi, m, K, (x, alpha, rho), theta0, 1e-8, 100, 1, 2, 0);
  target += laplace_marginal_bernoulli_logit_lupmf(bin | grp, m, K, (x, alpha, rho));
  target += laplace_marginal_tol_poisson_log_lpmf(cnt | grp, m, K, (x, alpha, rho), theta0, 1e-8, 100, 1, 3, 0);
  target += laplace_marginal(llt, ((sigma, y), 1), 2, K, (x, alpha, rho));
  target += laplace_marginal_tol(ll, (sigma, y), 4, K, fixed, ops);
  cnt ~ laplace_marginal_poisson_log(grp, m, 1, K, (x, alpha, rho));
  cnt ~ laplace_marginal_tol_neg_binomial_2_log(grp, phi, m, 1, K, (x, alpha, rho), (theta0, 1e-8, 100, 2, 0, 0));
  target += laplace_marginal_bernoulli_logit_lupmf(bin | grp, m, 1, K, (x, alpha, rho));
  target += laplace_marginal_tol_poisson_log_lpmf(cnt | grp, m, 1, K, (x, alpha, rho), ops);
}
generated quantities {
  vector[4] t1 = laplace_latent_rng(ll, (sigma, y), K, (x, alpha, rho));
  vector[4] t2 = laplace_latent_tol_rng(ll, (sigma, y), K, (x, alpha, rho), theta0, 1e-8, 100, 1, 1, 0);
  vector[4] t3 = laplace_latent_poisson_log_rng(cnt, grp, m, K, (x, alpha, rho));
  vector[4] t4 = laplace_latent_tol_neg_binomial_2_log_rng(cnt, grp, phi, m, K, (x, alpha, rho), theta0, 1e-8, 100, 1, 1, 0);
  vector[4] t5 = laplace_latent_bernoulli_logit_rng(bin, grp, m, K, (x, alpha, rho));
  real lm = laplace_marginal_poisson_log_lpmf(cnt | grp, m, K, (x, alpha, rho));
  vector[4] u1 = laplace_latent_rng(ll, (sigma, y), 1, K, (x, alpha, rho));
  vector[4] u2 = laplace_latent_tol_rng(ll, (sigma, y), 1, K, (x, alpha, rho), ops);
  vector[4] u3 = laplace_latent_poisson_log_rng(cnt, grp, m, 1, K, (x, alpha, rho));
  vector[4] u4 = laplace_latent_tol_neg_binomial_2_log_rng(cnt, grp, phi, m, 1, K, (x, alpha, rho), ops);
  vector[4] u5 = laplace_latent_bernoulli_logit_rng(bin, grp, m, 1, K, (x, alpha, rho));
  vector[4] u6 = laplace_latent_tol_bernoulli_logit_rng(bin, grp, m, 1, K, (x, alpha, rho), ops);
  real lm2 = laplace_marginal_neg_binomial_2_log_lpmf(cnt | grp, phi, m, 1, K, (x, alpha, rho));
}
