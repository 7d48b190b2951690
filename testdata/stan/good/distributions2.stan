// The Functions Reference's probability functions in the argument forms a
// probe of every documented signature exercised (2026-12): vectorised
// arguments of mixed container types, ints promoted to reals, the
// multivariate families over arrays of row vectors, the GLMs' row-vector
// and one-count forms, truncation by the log CDFs alone, and the vectorised
// rngs with their array results.
transformed data {
  array[2] int ys = {1, 2};
  matrix[2, 2] X = [[0.5, -1], [1, 0.25]];
  array[2] row_vector[2] rows = {[0.1, 0.2], [-0.3, 0.4]};
}
parameters {
  real<lower=0.1, upper=0.9> p;
  real<lower=0.5> s;
  vector[2] mu;
  row_vector[2] w;
  array[2] real a;
}
model {
  // reals: a row vector variate, a vector location, an array of scales
  target += normal_lpdf(w | mu, {s, s + 1});
  target += student_t_lupdf(a | 3 + s, w, s);
  target += skew_double_exponential_lcdf(mu | a, s, p);
  target += exp_mod_normal_lccdf(w | a, 1, {s, s});
  target += gumbel_lpdf(1 | mu, s);
  // beta_proportion has log CDFs but no _cdf; truncation needs only those
  p ~ beta_proportion(0.5, 2 + s) T[0.05, 0.95];
  target += beta_proportion_lccdf(p | 0.4, {s, s});
  // ints: vectorised counts with real-vector parameters
  ys ~ beta_neg_binomial(1 + s, {2 + s, 3}, 1.5);
  ys ~ discrete_range(0, {3, 4});
  target += poisson_binomial_lpmf(ys | {[p, 0.5]', [0.25, p]'});
  target += ordered_probit_lpmf(ys | 0.5 * s, {[-1, 1]', [-0.5, 1.5]'});
  target += categorical_logit_glm_lpmf(ys | w, mu, X);
  // binomial_logit_glm: arrays of counts, or one count with a real intercept
  target += binomial_logit_glm_lpmf(ys | {3, 4}, X, mu, mu);
  target += binomial_logit_glm_lpmf(ys | 4, X, s, mu);
  target += normal_id_glm_lpdf(0.5 | w, s, mu, s);
  // the multivariate families over arrays of row vectors
  rows ~ multi_student_t_cholesky(3 + s, w, [[1, 0], [0.5, 1]]);
  target += multi_normal_prec_lpdf(rows | mu, [[2, 0.5], [0.5, 1]]);
  target += dirichlet_lpdf({[p, 1 - p], [0.5, 0.5]} | {w + 2, [1, 1]});
  // the Wiener density with 5 and 7 parameters, vectorised over vectors
  target += wiener_lpdf([1.2, 1.5]' | [1, 1.5]', [0.2, 0.3]', [0.5, p]', mu, [s, s]');
  target += wiener_lpdf(1.2 | 1, 0.2, p, mu[1], 0.5, 0.1, 0.1, 1e-6);
}
generated quantities {
  // known values (corpus_test.go)
  real bp = beta_proportion_lcdf(0.5 | 0.5, 2); // Beta(1, 1): log ½
  real nv = normal_lpdf([0, 1] | [0, 0]', {1, 1}); // -log 2π - ½
  real sde = skew_double_exponential_lpdf(0 | 0, 1, 0.5); // log 2τ(1-τ)
  real llc = loglogistic_cdf(1 | 1, 3); // ½ at the scale
  real dr = discrete_range_lpmf({1, 2} | 1, 4); // 2 log ¼
  real hg = hypergeometric_lpmf(1 | 2, 2, 2); // C(2,1)² / C(4,2)
  real pbn = poisson_binomial_lpmf({0, 1} | {[0.5, 0.5]', [0.5, 0.25]'}); // log(¼ · ½)
  real glm0 = binomial_logit_glm_lpmf(2 | {4, 3}, X, 0.3, [0.2, -0.1]')
              - binomial_logit_lpmf({2, 2} | {4, 3}, 0.3 + X * [0.2, -0.1]');
  array[2] real qf = std_normal_qf({0.5, 0.975});
  // vectorised rngs: arrays whenever an argument is a container
  array[2] real nr = normal_rng(mu, {1, 2});
  array[2] real bpr = beta_proportion_rng([0.3, 0.6], 5);
  array[2] int bnr = beta_neg_binomial_rng({2, 3}, 2, 1.5);
  array[2] int drr = discrete_range_rng(1, {3, 4});
  array[2] real sder = skew_double_exponential_rng(w, 1, 0.3);
  array[2] int pbr = binomial_rng({3, 4}, p);
  real sn = std_normal_rng();
  array[2] vector[2] mst = multi_student_t_cholesky_rng(4, rows, [[1, 0], [0.5, 1]]);
  array[2] int dm = dirichlet_multinomial_rng([1, 2]', 2);
  matrix[2, 2] iwc = inv_wishart_cholesky_rng(4, [[1, 0], [0.5, 1]]);
}
