// User's Guide, "Correlation matrices with structural zeros": a user
// _jacobian transform to Cholesky factors whose correlation matrices
// have zeros where `zeros` says, and the matching LKJ density (both
// helper overloads of the manual kept).
functions {
  array[] int columns_matching(int i, array[,] int is_zero, int val) {
    int n = 0;
    for (c in 1:(i - 1)) {
      n += (is_zero[i, c] == val);
    }
    array[n] int cols_match;
    int pos = 0;
    for (c in 1:(i - 1)) {
      if (is_zero[i, c] == val) {
        pos += 1;
        cols_match[pos] = c;
      }
    }
    return cols_match;
  }
  array[] int columns_matching(int i, array[] int row_ind, int val) {
    int n = 0;
    for (c in 1:(i - 1)) {
      n += (row_ind[c] == val);
    }
    array[n] int idx;
    int pos = 0;
    for (c in 1:(i - 1)) {
      if (row_ind[c] == val) {
        pos += 1;
        idx[pos] = c;
      }
    }
    return idx;
  }
  matrix cholesky_corr_zeros_jacobian(int D, vector raw,
                                      array[,] int is_zero) {
    matrix[D, D] L = rep_matrix(0, D, D);
    int raw_idx = 1;
    L[1, 1] = 1;
    for (i in 2:D) {
      array[i - 1 - sum(is_zero[i, 1:(i - 1)])] int fc
        = columns_matching(i, is_zero, 0);
      array[sum(is_zero[i, 1:(i - 1)])] int zc
        = columns_matching(i, is_zero, 1);
      int d = size(fc);
      int n_z = size(zc);
      row_vector[d] z;
      real r = 1;
      if (d > 0) {
        row_vector[d] y = raw[raw_idx:(raw_idx + d - 1)]';
        real t = dot_self(y);
        z = sqrt(t + 2) / (t + 1) * y;
        r = 1 / (t + 1);
        jacobian += 0.5 * (d - 2) * log(t + 2) - (d + 1) * log1p(t);
        raw_idx += d;
      }
      L[i, i] = r;
      if (n_z == 0) {
        L[i, 1:d] = z;
      } else if (d > 0) {
        matrix[d, n_z] B = rep_matrix(0, d, n_z);
        for (k in 1:d) {
          for (m in 1:n_z) {
            int j = zc[m];
            if (j > fc[k]) {
              real b = L[j, fc[k]]
                       + dot_product(L[j, zc[1:(m - 1)]], B[k, 1:(m - 1)]);
              B[k, m] = -b / L[j, j];
            }
          }
        }
        matrix[d, d] C = cholesky_decompose(add_diag(tcrossprod(B), 1.0));
        jacobian += -sum(log(diagonal(C)));
        row_vector[d] t = mdivide_right_tri_low(z, C);
        L[i, fc] = t;
        L[i, zc] = t * B;
      }
    }
    return L;
  }
  real lkj_corr_cholesky_zeros_lpdf(matrix L, real eta,
                                    array[] int col_zeros) {
    return lkj_corr_cholesky_lpdf(L | eta)
      - to_row_vector(col_zeros) * log(diagonal(L));
  }
}
data {
  int<lower=2> D;
  real<lower=0> eta;
  array[D, D] int<lower=0, upper=1> zeros;
}
transformed data {
  array[D] int<lower=0> col_zeros;
  for (j in 1:D) {
    col_zeros[j] = sum(zeros[(j + 1):D, j]);
  }
  int N_zero = sum(col_zeros);
}
parameters {
  vector[choose(D, 2) - N_zero] raw;
}
transformed parameters {
  matrix[D, D] L_Omega
    = cholesky_corr_zeros_jacobian(D, raw, zeros);
}
model {
  L_Omega ~ lkj_corr_cholesky_zeros(eta, col_zeros);
}
generated quantities {
  matrix[D, D] Omega
    = multiply_lower_tri_self_transpose(L_Omega);
  matrix[D, D] Omega2 = square(Omega);
}
