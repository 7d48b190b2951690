parameters { real mu; }
model {
  mu ~ /* ERROR "ill-typed arguments to '~' statement: no distribution 'normal' accepts arguments (real, int)" */normal(0);
}
