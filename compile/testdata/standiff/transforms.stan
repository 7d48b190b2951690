// Every constrained type of Stan 2.21 as a parameter, alone and in arrays:
// the log density is a weighted sum of every element, so that the
// transforms, their log Jacobians and the unconstrained layout are all
// compared with Stan's (TestTransformsAgainstStan221). Stan 2.21 syntax.
parameters {
  real<lower=0.5> a1;
  real<upper=1> a2;
  real<lower=-1, upper=2> a3;
  real<offset=1, multiplier=2> a4;
  vector<lower=0>[3] a5;
  row_vector<lower=-1, upper=1>[3] a6;
  matrix<lower=0>[2, 3] a7;
  simplex[4] a8;
  unit_vector[3] a9;
  ordered[3] a10;
  positive_ordered[3] a11;
  cholesky_factor_corr[3] a12;
  cholesky_factor_cov[4, 3] a13;
  cholesky_factor_cov[3] a14;
  corr_matrix[3] a15;
  cov_matrix[3] a16;
  simplex[3] a17[2];
  real<lower=0> a18[2, 3];
  vector<lower=0>[2] a19[2, 2];
  matrix<lower=0, upper=1>[2, 3] a20[2];
  cov_matrix[2] a21[2, 2];
  ordered[2] a22[3];
  vector<offset=-1, multiplier=3>[3] a23;
  cholesky_factor_corr[2] a24[2];
  real<lower=a1> a25;
  vector<lower=a1, upper=a1 + 2>[2] a26;
  corr_matrix[2] a27[3];
  real a28[2, 2, 2];
}
model {
  real s = 0;
  int k = 0;
  k += 1; s += (1 + 0.37 * k) * a1;
  k += 1; s += (1 + 0.37 * k) * a2;
  k += 1; s += (1 + 0.37 * k) * a3;
  k += 1; s += (1 + 0.37 * k) * a4;
  for (e in a5) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a6) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a7) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a8) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a9) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a10) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a11) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a12) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a13) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a14) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a15) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a16) { k += 1; s += (1 + 0.37 * k) * e; }
  for (v in a17) for (e in v) { k += 1; s += (1 + 0.37 * k) * e; }
  for (r in a18) for (e in r) { k += 1; s += (1 + 0.37 * k) * e; }
  for (r in a19) for (v in r) for (e in v) { k += 1; s += (1 + 0.37 * k) * e; }
  for (m in a20) for (e in m) { k += 1; s += (1 + 0.37 * k) * e; }
  for (r in a21) for (m in r) for (e in m) { k += 1; s += (1 + 0.37 * k) * e; }
  for (v in a22) for (e in v) { k += 1; s += (1 + 0.37 * k) * e; }
  for (e in a23) { k += 1; s += (1 + 0.37 * k) * e; }
  for (m in a24) for (e in m) { k += 1; s += (1 + 0.37 * k) * e; }
  k += 1; s += (1 + 0.37 * k) * a25;
  for (e in a26) { k += 1; s += (1 + 0.37 * k) * e; }
  for (m in a27) for (e in m) { k += 1; s += (1 + 0.37 * k) * e; }
  for (r in a28) for (q in r) for (e in q) { k += 1; s += (1 + 0.37 * k) * e; }
  target += s;
}
