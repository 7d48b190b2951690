// Functions Reference, "Column and row stochastic matrices": Dirichlet
// columns of a column_stochastic_matrix and rows of a
// row_stochastic_matrix, declared and built by the _jacobian functions.
data {
  matrix<lower=0>[3, 2] a;
}
parameters {
  column_stochastic_matrix[3, 2] P;
  row_stochastic_matrix[2, 3] Q;
  matrix[2, 2] p_raw;
  matrix[2, 2] q_raw;
}
transformed parameters {
  column_stochastic_matrix[3, 2] P2 = stochastic_column_jacobian(p_raw);
  row_stochastic_matrix[2, 3] Q2 = stochastic_row_jacobian(q_raw);
}
model {
  for (j in 1:2) {
    col(P, j) ~ dirichlet(col(a, j));
    col(P2, j) ~ dirichlet(col(a, j));
    row(Q, j)' ~ dirichlet(col(a, j));
    row(Q2, j)' ~ dirichlet(col(a, j));
  }
}
