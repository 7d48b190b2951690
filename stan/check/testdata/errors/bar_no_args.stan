model {
  // The list after | may be empty (std_normal_lupdf(z |)), but normal
  // needs its location and scale.
  target += /* ERROR "no matching signature for 'normal_lpdf' with arguments (int)" */normal_lpdf(1 |);
}
