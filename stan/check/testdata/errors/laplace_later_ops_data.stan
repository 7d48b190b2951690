functions {
  real ll(vector theta, real s, data vector y) { return normal_lpdf(y | theta, s); }
  matrix K(data array[] real x, real a) { return gp_exp_quad_cov(x, a, 1.0); }
}
data { array[3] real x; vector[3] y; array[3] int c; array[3] int g; }
parameters { real<lower=0> s; real<lower=0> a; }
model { target += laplace_marginal_tol(ll, (s, y), 1, K, (x, a), (y, /* ERROR "the control parameters of laplace_marginal_tol must all be data, but the tolerance (member 2 of argument 6) is not" */s, 100, 1, 0, 1)); }
