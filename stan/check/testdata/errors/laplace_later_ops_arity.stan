functions {
  real ll(vector theta, real s, data vector y) { return normal_lpdf(y | theta, s); }
  matrix K(data array[] real x, real a) { return gp_exp_quad_cov(x, a, 1.0); }
}
data { array[3] real x; vector[3] y; array[3] int c; array[3] int g; }
parameters { real<lower=0> s; real<lower=0> a; }
model { target += laplace_marginal_tol(ll, (s, y), 1, K, (x, a), /* ERROR "the controls (argument 6) of laplace_marginal_tol must be a tuple(vector theta_init, data real tolerance, data int max_num_steps, data int solver, data int max_steps_linesearch, data int allow_fallback), found tuple(vector, real, int, int, int)" */(y, 1e-8, 100, 1, 0)); }
