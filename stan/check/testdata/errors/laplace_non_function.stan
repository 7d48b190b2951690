functions {
  real ll(vector theta, real s, data vector y) { return normal_lpdf(y | theta, s); }
  vector llv(vector theta, real s, data vector y) { return theta; }
  real llr(real theta, real s, data vector y) { return s; }
  matrix K(data array[] real x, real a) { return gp_exp_quad_cov(x, a, 1.0); }
  vector Kv(data array[] real x, real a) { return to_vector(x); }
}
data { array[3] real x; vector[3] y; array[3] int c; array[3] int g; }
parameters { real<lower=0> s; real<lower=0> a; }
model { target += laplace_marginal(ll, (s, y), /* ERROR "a function was expected as the covariance function (argument 3) of laplace_marginal, but a non-function value 'a' was supplied" */a, (x, a)); }
