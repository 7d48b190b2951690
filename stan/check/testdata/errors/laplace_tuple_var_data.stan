functions {
  real ll(vector theta, real s, data vector y) { return normal_lpdf(y | theta, s); }
  matrix K(data array[] real x, real a) { return gp_exp_quad_cov(x, a, 1.0); }
}
data { array[3] real x; vector[3] y; }
parameters { real<lower=0> s; real<lower=0> a; }
model {
  tuple(real, vector[3]) args = (s, y);
  target += laplace_marginal(ll, /* ERROR "the parameter y of 'll' is declared data, so the argument laplace_marginal passes it must be data-only" */args, K, (x, a));
}
