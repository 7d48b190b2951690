functions {
  real ll(vector theta, real s, data vector y) { return normal_lpdf(y | theta, s); }
  matrix K(data array[] real x, real a) { return gp_exp_quad_cov(x, a, 1.0); }
}
data { array[3] real x; vector[3] y; }
parameters { real<lower=0> s; real<lower=0> a; }
model {
  tuple(vector[3], matrix[3, 3]) r = laplace_latent_solve(ll, (1.0, y), 1, K, /* ERROR "the arguments of laplace_latent_solve must all be data, but argument 5 is not" */(x, a));
}
