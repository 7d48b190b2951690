functions {
  real ll(vector theta, real s, data vector y) { return normal_lpdf(y | theta, s); }
  matrix K(data array[] real x, real a) { return gp_exp_quad_cov(x, a, 1.0); }
}
data { array[3] real x; vector[3] y; array[3] int c; array[3] int g; }
parameters { real<lower=0> s; real<lower=0> a; }
model { target += laplace_marginal(ll, (s, y), /* ERROR "a function was expected as the covariance function (argument 3) of laplace_marginal, but a real was supplied (nor is it the int hessian_block_size of the later form); laplace_marginal takes ((vector, T_l...) => real likelihood, tuple(T_l...), (T_k...) => matrix covariance function, tuple(T_k...)) (Stan 2.37) or ((vector, T_l...) => real likelihood, tuple(T_l...), int hessian_block_size, (T_k...) => matrix covariance function, tuple(T_k...)) (later Stan)" */1.5, K, (x, a)); }
