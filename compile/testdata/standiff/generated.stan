// Transformed parameters and generated quantities without draws, which
// gostan runs in double precision (compile/double.go), against rstan
// 2.21's constrained values (TestGeneratedAgainstStan221): a Viterbi-like
// running best with back pointers, integer arithmetic and the integer
// functions, sorting and ranks, loops with break and continue, and
// containers assigned element by element and whole. Stan 2.21 syntax.
transformed data {
  int N = 6;
  int K = 3;
  real u[N] = {0.3, 1.7, 0.2, 2.5, 0.9, 1.1};
}
parameters {
  vector[K] phi;
  real<lower=0> lam;
  simplex[K] theta[K];
}
transformed parameters {
  vector[K] ephi = exp(phi);
  real tp_sum = 0;
  for (k in 1:K) tp_sum += ephi[k] * k;
}
model {
  phi ~ normal(0, 1);
  lam ~ exponential(1);
}
generated quantities {
  int z[N];
  real best_lp;
  real table[N, K];
  int back[N, K];
  int ints[10];
  real reals[8];
  vector[K] sorted;
  int idx[K];
  int rk[K];
  matrix[K, K] T;
  for (k in 1:K) table[1, k] = -ephi[k] * u[1] + phi[k];
  for (t in 2:N) {
    for (k in 1:K) {
      table[t, k] = negative_infinity();
      for (j in 1:K) {
        real lp = table[t - 1, j] + log(theta[j, k]) - ephi[k] * u[t] + phi[k];
        if (lp > table[t, k]) {
          back[t, k] = j;
          table[t, k] = lp;
        }
      }
    }
  }
  for (k in 1:K) back[1, k] = 0;
  best_lp = max(table[N]);
  for (k in 1:K) if (table[N, k] == best_lp) z[N] = k;
  for (t in 1:(N - 1)) z[N - t] = back[N - t + 1, z[N - t + 1]];
  ints[1] = 17 / 5;
  ints[2] = -17 / 5;
  ints[3] = -17 % 5;
  ints[4] = choose(7, 3);
  ints[5] = int_step(phi[1]) + int_step(-1);
  ints[6] = min(z) + max(z) * 10;
  ints[7] = abs(-4) + size(z) + num_elements(table);
  ints[8] = sum(z) - prod(back[2]);
  ints[9] = 0;
  for (i in 1:100) {
    if (i % 3 == 0) continue;
    ints[9] += i;
    if (ints[9] > 40) break;
  }
  ints[10] = (lam > 1) + 2 * (phi[1] < phi[2]) + 4 * (phi[2] <= phi[3]);
  reals[1] = lam ^ 2.5;
  reals[2] = log1p_exp(phi[1]) - log_diff_exp(2, phi[2] > 1.9 ? 1 : phi[2]);
  reals[3] = fmod(lam * 7, 3);
  reals[4] = lbeta(lam + 1, 2) + lgamma(lam + 0.5) + tgamma(1.5);
  reals[5] = binary_log_loss(1, inv_logit(phi[1])) + owens_t(phi[2], lam);
  reals[6] = lmgamma(3, lam + 2) + log_falling_factorial(lam + 5, 2);
  reals[7] = bessel_first_kind(1, lam) + modified_bessel_second_kind(2, lam + 0.1);
  reals[8] = mean(phi) + sd(phi) + variance(ephi);
  sorted = sort_desc(phi);
  idx = sort_indices_asc(phi);
  rk = rank(to_array_1d(phi), 2) == 0 ? sort_indices_desc(phi) : sort_indices_desc(ephi);
  for (j in 1:K) T[j] = theta[j]';
  T = T * diag_matrix(ephi) + rep_matrix(tp_sum, K, K);
}
