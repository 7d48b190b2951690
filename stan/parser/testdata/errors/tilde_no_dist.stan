parameters { real mu; }
model {
  mu ~ /* ERROR "expected a distribution name, found integer literal 3" */3;
}
