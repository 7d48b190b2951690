parameters { real mu; }
model {
  mu ~ normal/* ERROR "expected \"(\", found \";\"" */;
}
