// The language additions of Stan 2.39 and 2.40 (stanc3's release notes).
functions {
  real bump(real x, real xc, real a, vector w, int k) { return k * w[1] * exp(-a * x * x); }
  // Since 2.39 every function ending in _jacobian is a Jacobian function,
  // usable in transformed parameters and other _jacobian functions.
  real shift_jacobian(real x) {
    jacobian += x;
    return exp(x);
  }
  real part(array[] real y, int s, int e, tuple(real, tuple(vector, int)) p, tuple(real, real) q) {
    return normal_lpdf(y | p.1 + q.1, q.2) + sum(p.2.1) * p.2.2;
  }
}
data {
  int N;
  array[N] int y;
  vector[N] xv;
  array[3] real obs;
}
transformed data {
  matrix[2, 3] M = [[1, 2, 3], [4, 5, 6]];
  array[3] vector[2] cols = to_vector_array(M);
  array[2] row_vector[3] rows = to_row_vector_array(M);
  matrix[2, 3] back = to_matrix(cols);
  vector[3] ps = [0.1, 0.5, 0.975]';
}
parameters {
  real mu;
  real<lower=0> sigma;
  vector<lower=0, upper=1>[4] theta;
  real<lower=1> nu;
}
transformed parameters {
  real e = shift_jacobian(mu);
}
model {
  mu ~ normal(0, 1);
  sigma ~ lognormal(0, 0.5);
  nu ~ gamma(4, 1);
  y ~ poisson_binomial(theta);
  2 ~ poisson_binomial(theta) T[1, 3];
  target += poisson_binomial_lcdf(y | theta) + poisson_binomial_lccdf(1 | theta);
  target += normal_id_glm_lpdf(1.5 | xv, mu, [0.5]', sigma);
  target += normal_id_glm_lpdf(0.5 | xv', mu, rep_vector(0.1, N), sigma);
  target += -square(student_t_qf(0.8, nu, mu, sigma));
  target += sum(log_softmax({[mu, sigma]', [sigma, 1]'})[2]);
  target += integrate_1d_gauss_kronrod(bump, 0, sigma, nu, [mu]', 2);
  target += integrate_1d_double_exponential_tol(bump, -sigma, 1, 1e-8, 1e-12, 12, nu, [mu]', 1);
  target += reduce_sum(part, obs, 1, (mu, (theta, 2)), (0.5, sigma));
}
generated quantities {
  real c2 = cols[2, 2];            // M[2, 2]
  real r13 = rows[1, 3];           // M[1, 3]
  real b21 = back[2, 1];           // M[2, 1]
  real t975 = student_t_qf(0.975, 10, 0, 1);
  real tcauchy = student_t_qf(0.75, 1, 1, 2); // 1 + 2 tan(π/4)
  vector[3] t2 = student_t_qf(ps, 2, 0, 1);
  real sm = softmax({[0, log(3)]})[1, 2]; // 3/4, of an array of row vectors
  real pb = exp(poisson_binomial_lpmf(1 | [0.5, 0.25]'));   // 0.5·0.75 + 0.5·0.25
  real pbc = exp(poisson_binomial_lcdf(1 | [0.5, 0.25]'));  // 1 - 0.125
  real pbcc = exp(poisson_binomial_lccdf(0 | [0.5, 0.25]')); // 1 - 0.375
  int pbr = poisson_binomial_rng([1, 0, 1]');                // 2 surely
  real gk = integrate_1d_gauss_kronrod(bump, negative_infinity(), positive_infinity(), 1, [1]', 1); // √π
  real glm1 = normal_id_glm_lpdf(1 | [2]', 0, [0.5]', 1);   // normal_lpdf(1 | 1, 1)
}
