parameters { real y; }
model {
  y ~ /* ERROR "~ statement should refer to a distribution without its \"_lpdf\" or \"_lpmf\" suffix: use normal" */normal_lupdf(0, 1);
}
