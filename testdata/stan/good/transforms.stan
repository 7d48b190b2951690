// The jacobian += statement, the library's *_constrain, *_unconstrain and
// *_jacobian functions, and the newer constrained types.
functions {
  real upper_exp_jacobian(real x, real ub) {
    jacobian += x;
    return ub - exp(x);
  }
}
parameters {
  real x_raw;
  sum_to_zero_vector[3] z;
  sum_to_zero_matrix[2, 3] zm;
  column_stochastic_matrix[2, 3] cs;
  row_stochastic_matrix[2, 3] rs;
  simplex[3] s;
  cholesky_factor_corr[2] L;
}
transformed parameters {
  real x = upper_exp_jacobian(x_raw, 1);
  real<lower=0> pos = lower_bound_jacobian(x_raw, 0);
}
model {
  x ~ normal(0, 1);
  z ~ normal(0, 1);
  to_vector(zm) ~ normal(0, 1);
  L ~ lkj_corr_cholesky(2);
}
generated quantities {
  real lb = lower_bound_constrain(-1.5, 2);
  real lb_back = lower_bound_unconstrain(lb, 2);
  vector[3] simp = simplex_constrain([0.1, -0.2]');
  vector[2] simp_back = simplex_unconstrain(simp);
  vector[3] szv = sum_to_zero_constrain([0.5, -1]');
  real ou = offset_multiplier_constrain(0.3, 1, 2);
  vector[2] ord = ordered_constrain([0.1, 0.2]');
  real lu = lower_upper_bound_constrain(0.4, -1, 1);
}
