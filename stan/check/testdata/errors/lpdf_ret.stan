functions {
  vector /* ERROR "real return type required for a probability function ending in _lpdf" */foo_lpdf(real y) { return [y]'; }
}
