functions {
  real ll(vector theta, real s, data vector y) { return normal_lpdf(y | theta, s); }
  matrix K(data array[] real x, real a) { return gp_exp_quad_cov(x, a, 1.0); }
}
data { array[3] real x; vector[3] y; array[3] int c; array[3] int g; }
parameters { real<lower=0> s; real<lower=0> a; }
model { target += laplace_marginal_bernoulli_logit_lpmf(c | g, y, 1, K, (x, a), /* ERROR "received 1 extra argument at the end of the call to 'laplace_marginal_bernoulli_logit_lpmf'; did you mean to call the _tol version?" */(y, 1e-8, 100, 1, 0, 1)); }
