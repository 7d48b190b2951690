model {
  target += normal_lpdf(1 | /* ERROR "expected an expression, found \")\"" */);
}
