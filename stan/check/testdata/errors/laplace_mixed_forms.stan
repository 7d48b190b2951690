functions {
  real ll(vector theta, real s, data vector y) { return normal_lpdf(y | theta, s); }
  matrix K(data array[] real x, real a) { return gp_exp_quad_cov(x, a, 1.0); }
}
data { array[3] real x; vector[3] y; array[3] int c; array[3] int g; }
parameters { real<lower=0> s; real<lower=0> a; }
model { c ~ laplace_marginal_tol_poisson_log(g, y, K, (x, a), (y, 1e-8, 100, 1, 0, 1)/* ERROR "laplace_marginal_tol_poisson_log_lpmf takes (array[] int y, array[] int y_index, vector m, (T_k...) => matrix covariance function, tuple(T_k...), vector theta_init, data real tolerance, data int max_num_steps, data int hessian_block_size, data int solver, data int max_steps_linesearch) (Stan 2.37) or (array[] int y, array[] int y_index, vector m, int hessian_block_size, (T_k...) => matrix covariance function, tuple(T_k...), tuple(vector theta_init, data real tolerance, data int max_num_steps, data int solver, data int max_steps_linesearch, data int allow_fallback)) (later Stan): found 6 arguments" */); }
