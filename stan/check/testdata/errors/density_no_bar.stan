model {
  target += /* ERROR "require a vertical bar (|)" */normal_lpdf(0, 0, 1);
}
