data {
  array[3] int n;
  matrix[3, 2] x;
}
parameters {
  vector[3] alpha;
  vector[2] beta;
}
model {
  // One count for every instance takes a real intercept only.
  target += /* ERROR "no matching signature for 'binomial_logit_glm_lpmf' with arguments (array[] int, int, matrix, vector, vector)" */binomial_logit_glm_lpmf(n | 10, x, alpha, beta);
}
