parameters { real mu; }
model {
  mu ~ normal(0, 1) T[0/* ERROR "expected \",\", found \"]\"" */];
}
