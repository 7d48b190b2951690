parameters { real mu; }
model {
  /* ERROR "ill-typed arguments to '~' statement: no distribution 'normal' accepts arguments (real, int)" */mu ~ normal(0);
}
