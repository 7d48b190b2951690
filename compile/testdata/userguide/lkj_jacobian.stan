// User's Guide, "Correlation matrices with structural zeros": a
// Cholesky factor built by cholesky_factor_corr_jacobian from free
// values, against the built-in cholesky_factor_corr, both LKJ(eta).
data {
  int<lower=2> D;
  real<lower=0> eta;
}
parameters {
  vector[choose(D, 2)] L3_raw;
  cholesky_factor_corr[D] L2;
}
transformed parameters {
  cholesky_factor_corr[D] L3 = cholesky_factor_corr_jacobian(L3_raw, D);
}
model {
  L3 ~ lkj_corr_cholesky(eta);
  L2 ~ lkj_corr_cholesky(eta);
}
generated quantities {
  matrix[D, D] Omega3 = multiply_lower_tri_self_transpose(L3);
  matrix[D, D] Omega2 = multiply_lower_tri_self_transpose(L2);
  matrix[D, D] sq3 = square(Omega3);
  matrix[D, D] sq2 = square(Omega2);
  real roundtrip = max(abs(cholesky_factor_corr_unconstrain(L3) - L3_raw));
}
