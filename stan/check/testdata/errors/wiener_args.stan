parameters {
  vector[2] vs;
}
model {
  // The 4-parameter density takes no precision.
  target += /* ERROR "no matching signature for 'wiener_lpdf'" */wiener_lpdf(vs | vs, vs, vs, vs, 0.1);
}
