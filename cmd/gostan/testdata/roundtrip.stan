// Parameters of every shape a Stan CSV names (arrays, matrices, arrays of
// matrices, constrained matrices and vectors, tuples, arrays of tuples),
// each copied to a generated quantity named NAME_c, for reading Stan CSV
// back (generate-quantities, laplace --mode).
parameters {
  real a;
  vector[2] v;
  matrix[2, 3] m;
  array[2] matrix[2, 2] am;
  cov_matrix[2] S;
  simplex[3] s;
  tuple(real<lower=0>, vector[2]) t;
  array[2] tuple(real, simplex[3]) at;
  array[2, 2] tuple(real, array[2] real) a2t;
}
model {
  a ~ normal(0, 1); v ~ normal(0, 1); to_vector(m) ~ normal(0, 1);
  for (i in 1:2) to_vector(am[i]) ~ normal(0, 1);
  S ~ wishart(4, identity_matrix(2));
  t.1 ~ exponential(1); t.2 ~ normal(0, 1);
  for (i in 1:2) at[i].1 ~ normal(0, 1);
  for (i in 1:2) for (j in 1:2) { a2t[i, j].1 ~ normal(0, 1); a2t[i, j].2 ~ normal(0, 1); }
}
generated quantities {
  real a_c = a; matrix[2, 3] m_c = m; array[2] matrix[2, 2] am_c = am; matrix[2, 2] S_c = S; vector[3] s_c = s;
  tuple(real, vector[2]) t_c = t; array[2] tuple(real, vector[3]) at_c;
  for (i in 1:2) at_c[i] = (at[i].1, at[i].2);
  array[2, 2] tuple(real, array[2] real) a2t_c = a2t;
}
