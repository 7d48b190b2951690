// Newer distributions and functions, each with its rng where Stan has one.
data {
  int N;
  array[N] int counts;
}
parameters {
  real<lower=0> r;
  real<lower=0> alpha;
  real<lower=0> beta;
  real<lower=0> ll;
  real<lower=0> rho;
  vector[2] mvec;
  cholesky_factor_cov[2] Lw;
}
model {
  r ~ gamma(2, 1);
  alpha ~ gamma(2, 1);
  beta ~ gamma(2, 1);
  rho ~ gamma(2, 1);
  counts ~ beta_neg_binomial(r, alpha, beta);
  ll ~ loglogistic(1, 3);
  counts[1] ~ yule_simon(rho + 1);
  counts ~ dirichlet_multinomial(rep_vector(alpha, N));
  mvec ~ multi_student_t_cholesky(4, [0, 0]', [[1, 0], [0.5, 1]]);
  Lw ~ wishart_cholesky(4, [[1, 0], [0, 1]]);
}
generated quantities {
  int bnb = beta_neg_binomial_rng(r, alpha, beta);
  real llr = loglogistic_rng(1, 3);
  int ys = yule_simon_rng(rho + 1);
  real lw0 = lambert_w0(1.0);
  real lwm1 = lambert_wm1(-0.2);
  array[2] int aint = abs({-4, 5});
  real ie = inv_erfc(0.5);
  real iib = inv_inc_beta(2, 3, 0.4);
  real lild = log_inv_logit_diff(1.0, 0.5);
  real qf = std_normal_qf(0.975);
  real lqf = std_normal_log_qf(log(0.975));
  real q = quantile([1, 2, 3, 4]', 0.5);
  real ld = ldexp(1.5, 3);
  array[3] int oh = one_hot_int_array(3, 2);
  vector[3] lin = linspaced_vector(3, 0, 1);
  real ot = owens_t(0.5, 2);
  vector[2] mlog = multiply_log([1, 2]', [2, 3]');
}
