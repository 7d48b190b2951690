functions {
  real ll(vector theta, real s, data vector y) { return normal_lpdf(y | theta, s); }
  matrix K(data array[] real x, real a) { return gp_exp_quad_cov(x, a, 1.0); }
}
data { array[3] real x; vector[3] y; }
parameters { real<lower=0> s; real<lower=0> a; }
generated quantities {
  /* ERROR "cannot initialise r of type vector with a value of type tuple(vector, matrix)" */vector[3] r = laplace_latent_solve_tol(ll, (s, y), 1, K, (x, a), (y, 1e-8, 100, 1, 0, 1));
}
