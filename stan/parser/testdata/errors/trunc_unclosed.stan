parameters { real mu; }
model {
  mu ~ normal(0, 1) T[0, 1/* ERROR "expected \"]\", found \";\"" */;
}
