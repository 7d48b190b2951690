// Language corners where gostan once disagreed with stanc3 (issue 14),
// with their values: a GLM's x as a row_vector (the row of every
// instance), an empty argument list after | (std_normal_lupdf(z |)),
// operator precedence and integer arithmetic as C++ does it, indexing a
// parenthesized transpose (x'[i] is a syntax error), foreach over a
// matrix, empty indexes (m[, 1]); Gaussian process kernels of two point
// sets, of vector points, and with a length scale per dimension.
functions {
  real half_sq_lpdf(real x) {
    return -0.5 * x ^ 2;
  }
}
transformed data {
  matrix[3, 2] X = [[1, 2], [1, 2], [1, 2]];
  row_vector[2] xr = [1, 2];
  array[3] int y = {0, 1, 1};
  array[3] int k = {1, 2, 1};
  vector[3] yv = [0.5, -1, 2]';
  matrix[2, 2] B = [[1, -1], [0.5, 2]];
  array[3] vector[2] pts = {[0, 0]', [1, 2]', [-1, 0.5]'};
}
parameters {
  vector[2] beta;
  real alpha;
}
model {
  beta ~ std_normal();
  target += std_normal_lupdf(alpha |);
  target += half_sq_lupdf(alpha |);
  target += bernoulli_logit_glm_lpmf(y | xr, alpha, beta);
  target += poisson_log_glm_lupmf(y | xr, alpha, beta);
  target += normal_id_glm_lpdf(yv | xr, alpha, beta, 1.5);
  target += neg_binomial_2_log_glm_lpmf(y | xr, alpha, beta, 2);
  target += categorical_logit_glm_lpmf(k | xr, beta, B);
  target += -0.1 * sum(gp_exp_quad_cov(pts, 1.5, to_array_1d(exp(beta))));
  target += -0.1 * sum(gp_matern32_cov(pts, pts[1:2], 1.0, to_array_1d(exp(beta))));
  target += -0.1 * sum(gp_dot_prod_cov(pts, exp(alpha)));
}
generated quantities {
  // Each is 0: the row_vector form against the matrix of repeated rows.
  real glm_b = bernoulli_logit_glm_lpmf(y | xr, alpha, beta) - bernoulli_logit_glm_lpmf(y | X, alpha, beta);
  real glm_p = poisson_log_glm_lpmf(y | xr, alpha, beta) - poisson_log_glm_lpmf(y | X, alpha, beta);
  real glm_n = normal_id_glm_lpdf(yv | xr, alpha, beta, 1.5) - normal_id_glm_lpdf(yv | X, alpha, beta, 1.5);
  real glm_nb = neg_binomial_2_log_glm_lpmf(y | xr, alpha, beta, 2) - neg_binomial_2_log_glm_lpmf(y | X, alpha, beta, 2);
  real glm_c = categorical_logit_glm_lpmf(k | xr, beta, B) - categorical_logit_glm_lpmf(k | X, beta, B);
  real sn = std_normal_lpdf(0 |);
  real hs = half_sq_lpdf(2 |);
  real negpow = -2 ^ 2;
  real powpow = 2 ^ 3 ^ 2;
  int idiv = -7 %/% 2;
  int imod = -7 % 3;
  real tern = 1 ? 1 : 2.5;
  real nest = 0 ? 2 : 3 ? 4 : 5;
  int left = 3 * 2 %/% 4;
  int modmul = 5 % 3 * 2;
  real negexp = 2 ^ -1 ^ 2;
  real eltneg = -2 .^ 2;
  int chain = 3 < 2 < 1;
  real trix = ([1, 2, 3]')[2];
  real fe = 0;
  for (b in B) {
    fe += b;
  }
  real col2 = sum(B[, 2]);
  real allb = sum(B[]);
  tuple(real,) one = (2.5,); // a tuple of one (Stan 2.39)
  real one1 = one.1 + (1.5,).1;
  real bareidx = sum(B[1,]); // x[i,] is x[i, :]
  real ard = gp_exp_quad_cov({[0, 0]', [1, 2]'}, 2, {1.0, 2.0})[1, 2];
  real ardx = gp_exponential_cov({[0, 0]'}, {[1, 2]'}, 1, {1.0, 2.0})[1, 1];
  real m32x = gp_matern32_cov({0.0}, {1.0}, 1, 1)[1, 1];
  real dpv = gp_dot_prod_cov({[1, 2]', [3, 4]'}, 0.5)[1, 2];
  real dpx = gp_dot_prod_cov({1.0, 2.0}, {3.0}, 1)[2, 1];
  real perx = gp_periodic_cov({0.0}, {0.5}, 1, 1, 2)[1, 1];
  // An empty container argument: an empty sum, and no draws (these
  // panicked).
  vector[0] none;
  // The Schur decomposition as a tuple (U, T): T upper triangular with
  // B's eigenvalues, 1.5 ± 0.5i, on its diagonal.
  tuple(complex_matrix[2, 2], complex_matrix[2, 2]) schur = complex_schur_decompose(B);
  real schur_tr = get_real(trace(schur.2));
  real schur_low = abs(schur.2[2, 1]);
  real schur_u = max(abs(schur.1 - complex_schur_decompose_u(B)));
  real elcdf = poisson_lcdf(3 | none) + binomial_lccdf(1 | 2, none) + neg_binomial_2_lcdf(1 | none, 1);
  real ecdf = poisson_cdf(3 | none);
  real edr = discrete_range_lpmf(1 | {0}[1:0], 2);
  int nrng = size(normal_rng(none, 1)) + size(poisson_rng(none)) + size(binomial_rng({1}[1:0], 0.5));
  // A declaration may read the variable it declares (stanc3 warns): it
  // is not yet assigned, NaN for a real and the smallest int for an int.
  real selfr = selfr;
  int selfi = selfi;
  int selfnan = is_nan(selfr);
}
