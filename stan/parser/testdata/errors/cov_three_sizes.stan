parameters {
  cholesky_factor_cov/* ERROR "cholesky_factor_cov takes 1 or 2 size(s), found 3" */[3, 4, 5] L;
}
