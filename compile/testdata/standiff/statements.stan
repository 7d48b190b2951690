// Sampling statements (which drop constant terms), truncation and the
// densities' vectorised forms, with parameters in every argument where
// Stan 2.21 allows one, against rstan 2.21's log density and gradient
// (TestStatementsAgainstStan221). Stan 2.21 syntax. Left out where Stan
// 2.21 is wrong or imprecise: the gamma family's CDFs (their shape
// derivatives, to 1e-5: TestAgainstStan221) and neg_binomial_2_lccdf at
// n = 0, whose derivative in phi disagrees with Stan's own finite
// differences (6.43 against 1.08).
transformed data {
  int n[3] = {0, 2, 5};
  int b[3] = {0, 1, 1};
  int N[3] = {5, 6, 7};
  int cat[3] = {1, 3, 2};
  int ord[3] = {1, 2, 3};
  int mult[3] = {2, 0, 3};
  vector[3] yd = [0.3, 1.2, 2.5]';
  matrix[3, 2] X = [[1, 0.5], [-0.3, 2], [0.7, -1]];
}
parameters {
  real mu;
  real<lower=0> sigma;
  real<lower=1> nu;
  real<lower=0, upper=1> p;
  vector[3] v;
  vector<lower=0>[3] pos;
  vector<lower=0, upper=1>[3] unit;
  simplex[3] sp;
  cholesky_factor_corr[3] L;
  cov_matrix[3] S;
  corr_matrix[3] R;
  ordered[2] c;
  real<lower=0.2, upper=4> tr;
  real<lower=0, upper=2> ty;
  real<lower=0, upper=0.9> tb;
  vector[2] beta;
  real<lower=0> rate;
}
model {
  mu ~ normal(0, 2);
  v ~ normal(mu, sigma);
  yd ~ normal(v, sigma);
  v ~ student_t(nu, mu, sigma);
  mu ~ cauchy(0, sigma);
  v ~ double_exponential(mu, sigma);
  v ~ logistic(mu, sigma);
  v ~ gumbel(mu, sigma);
  v ~ skew_normal(mu, sigma, 0.7);
  v ~ exp_mod_normal(mu, sigma, rate);
  pos ~ lognormal(mu, sigma);
  pos ~ chi_square(nu);
  pos ~ inv_chi_square(nu);
  pos ~ scaled_inv_chi_square(nu, sigma);
  pos ~ exponential(rate);
  pos ~ gamma(nu, rate);
  pos ~ inv_gamma(nu, rate);
  pos ~ weibull(nu, sigma);
  pos ~ frechet(nu, sigma);
  pos ~ rayleigh(sigma);
  pos ~ pareto_type_2(mu, sigma, nu);
  unit ~ beta(nu, rate + 0.5);
  unit ~ beta_proportion(p, nu + 1);
  v ~ von_mises(mu, nu);
  unit ~ uniform(-1, 2);
  n ~ poisson(rate);
  n ~ poisson_log(mu);
  n ~ binomial(N, p);
  n ~ binomial_logit(N, v);
  n ~ neg_binomial(nu, rate);
  n ~ neg_binomial_2(pos, nu);
  n ~ neg_binomial_2_log(v, nu);
  // n ~ beta_binomial(N, nu, rate) and n ~ poisson_log_glm(X, mu, beta)
  // add nothing in Stan 2.21 (their propto forms drop every term): their
  // full forms instead.
  target += beta_binomial_lpmf(n | N, nu, rate);
  b ~ bernoulli(unit);
  b ~ bernoulli_logit(v);
  b ~ bernoulli_logit_glm(X, mu, beta);
  target += poisson_log_glm_lpmf(n | X, mu, beta);
  yd ~ normal_id_glm(X, mu, beta, sigma);
  cat ~ categorical(sp);
  cat ~ categorical_logit(v);
  ord ~ ordered_logistic(v, c);
  ord[1] ~ ordered_probit(mu, c);
  mult ~ multinomial(sp);
  sp ~ dirichlet(pos + 0.5);
  v ~ multi_normal(yd, S);
  v ~ multi_normal_cholesky(yd, diag_pre_multiply(pos, L));
  v ~ multi_student_t(nu, yd, S);
  L ~ lkj_corr_cholesky(nu);
  R ~ lkj_corr(nu);
  S ~ wishart(4, R);
  S ~ inv_wishart(5, R);
  tr ~ normal(mu, sigma) T[0.2, 4];
  tr ~ lognormal(mu, sigma) T[0.2, ];
  tr ~ weibull(nu, sigma) T[0.2, 4];
  tr ~ student_t(nu, mu, sigma) T[0.2, 4];
  tr ~ cauchy(mu, sigma) T[0.2, 4];
  tr ~ logistic(mu, sigma) T[0.2, 4];
  ty ~ exponential(rate) T[, 2];
  tb ~ beta(nu, rate + 0.5) T[, 0.9];
  n[2] ~ poisson(rate) T[1, 9];
  n[3] ~ neg_binomial_2(nu, rate) T[, 12];
  n[2] ~ binomial(6, p) T[1, ];
  target += normal_lpdf(yd | v, sigma) + poisson_lpmf(n | rate) + student_t_lccdf(mu | nu, 0, 1)
    + binomial_lcdf(n | N, p);
}
