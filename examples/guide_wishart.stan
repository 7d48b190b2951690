// Multivariate normal data with a known mean and a Wishart prior on the
// precision. The posterior, wishart(nu0 + N, (S0^-1 + sum_n (y_n - mu)(y_n - mu)')^-1),
// is in the guide's family, so SVI should find it; the guide's draws are
// Bartlett decompositions whose chi-square draws are differentiated
// implicitly in nu_q.
data {
  int<lower=1> K;
  int<lower=1> N;
  vector[K] mu;
  array[N] vector[K] y;
  real<lower=K - 1> nu0;
  cov_matrix[K] S0;
}
parameters {
  cov_matrix[K] Lambda;
}
model {
  Lambda ~ wishart(nu0, S0);
  y ~ multi_normal_prec(mu, Lambda);
}
guide parameters {
  real<lower=K - 1> nu_q;
  cov_matrix[K] S_q;
}
guide {
  Lambda ~ wishart(nu_q, S_q);
}
