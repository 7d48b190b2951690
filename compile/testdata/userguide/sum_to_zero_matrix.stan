// Reference Manual, "Zero sum matrix": every row and column of a
// sum_to_zero_matrix sums to zero; with an isotropic normal(0, s) on its
// entries, each has variance s^2 (1 - 1/R) (1 - 1/C).
data {
  int<lower=2> R;
  int<lower=2> C;
  real<lower=0> s;
}
parameters {
  sum_to_zero_matrix[R, C] B;
}
model {
  to_vector(B) ~ normal(0, s);
}
generated quantities {
  real row_sums = max(abs(B * rep_vector(1, C)));
  real col_sums = max(abs(rep_row_vector(1, R) * B));
  matrix[R, C] B2 = square(B);
  real roundtrip = max(abs(to_vector(sum_to_zero_constrain(sum_to_zero_unconstrain(B)) - B)));
}
