functions {
  vector rhs(real t, vector y) { return -y; }
  real ll(vector theta, real s, data vector y) {
    array[1] vector[1] z = ode_rk45(rhs, theta[1:1], 0, {1.0});
    return normal_lpdf(y | theta, s) + z[1][1];
  }
  matrix K(data array[] real x, real a) { return add_diag(gp_exp_quad_cov(x, a, 1), 1e-8); }
}
data { array[4] real x; vector[4] y; }
parameters { real<lower=0> s; real<lower=0> a; }
generated quantities { vector[4] t = laplace_latent_rng(/* ERROR "the function 'ode_rk45', called by this likelihood function" */ll, (s, y), K, (x, a)); }
