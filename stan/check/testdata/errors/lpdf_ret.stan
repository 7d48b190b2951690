functions {
  /* ERROR "real return type required for a probability function ending in _lpdf" */vector foo_lpdf(real y) { return [y]'; }
}
