// A regression whose two slopes are nearly collinear, so that their
// posterior is strongly correlated, with a full-covariance Gaussian guide
// written in Stan: beta is drawn as m + L z, and L, a Cholesky factor,
// learns the correlation a mean-field guide would miss. With the noise
// scale known the posterior is Gaussian, so the guide can match it exactly.
data {
  int<lower=0> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] y;
  real<lower=0> sigma;
}
parameters {
  vector[K] beta;
}
model {
  beta ~ normal(0, 10);
  y ~ normal(X * beta, sigma);
}
guide parameters {
  vector[K] m;
  cholesky_factor_cov[K] L;
}
guide {
  beta ~ multi_normal_cholesky(m, L);
}
