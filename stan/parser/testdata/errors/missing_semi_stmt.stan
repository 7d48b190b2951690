parameters { real mu; }
model {
  mu ~ normal(0, 1)/* ERROR "expected \";\"" */
  mu ~ normal(0, 2);
}
