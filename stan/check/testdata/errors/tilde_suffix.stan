parameters { real mu; }
model {
  mu ~ /* ERROR "~ statement should refer to a distribution without its \"_lpdf\" or \"_lpmf\" suffix: use normal" */normal_lpdf(0, 1);
}
