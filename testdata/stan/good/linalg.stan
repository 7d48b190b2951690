// Linear algebra, complex results, FFTs and the HMM functions.
transformed data {
  matrix[3, 3] A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]];
  complex_vector[3] ev = eigenvalues(A);
  complex_matrix[3, 3] evec = eigenvectors(A);
  complex_vector[4] f = fft(to_complex([1, 2, 3, 4]', [0, 0, 0, 0]'));
  complex_vector[4] fi = inv_fft(f);
  complex_matrix[2, 2] f2 = fft2(to_complex([[1, 2], [3, 4]], [[0, 0], [0, 0]]));
  matrix[3, 3] U = svd_U(A);
  matrix[3, 3] V = svd_V(A);
  matrix[3, 3] Q = qr_Q(A);
  matrix[3, 3] R = qr_R(A);
  matrix[3, 3] G = generalized_inverse(A);
  matrix[3, 3] P = matrix_power(A, 3);
  matrix[3, 2] EM = matrix_exp_multiply(A, [[1, 0], [0, 1], [1, 1]]);
  matrix[3, 2] SEM = scale_matrix_exp_multiply(0.5, A, [[1, 0], [0, 1], [1, 1]]);
  matrix[3, 3] CI = chol2inv(cholesky_decompose(A));
  real lds = log_determinant_spd(A);
  real td = trace_dot(A, A);
  matrix[3, 3] S = symmetrize_from_lower_tri(A);
}
parameters {
  simplex[2] rho;
  array[2] simplex[2] Gamma_rows;
  ordered[2] mu;
}
transformed parameters {
  matrix[2, 2] Gamma;
  for (k in 1:2) Gamma[k] = Gamma_rows[k]';
}
model {
  matrix[2, 4] log_omega;
  array[4] real y = {-1.0, 0.2, 2.1, 1.9};
  for (t in 1:4) for (k in 1:2) log_omega[k, t] = normal_lpdf(y[t] | mu[k], 1);
  mu ~ normal(0, 3);
  target += hmm_marginal(log_omega, Gamma, rho);
}
generated quantities {
  matrix[2, 4] probs;
  array[4] int states;
  {
    matrix[2, 4] log_omega;
    array[4] real y = {-1.0, 0.2, 2.1, 1.9};
    for (t in 1:4) for (k in 1:2) log_omega[k, t] = normal_lpdf(y[t] | mu[k], 1);
    probs = hmm_hidden_state_prob(log_omega, Gamma, rho);
    states = hmm_latent_rng(log_omega, Gamma, rho);
  }
}
