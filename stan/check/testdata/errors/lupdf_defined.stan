functions {
  real /* ERROR "user-defined functions cannot have names ending in _lupdf or _lupmf: define foo_lpdf, which may then be called as foo_lupdf" */foo_lupdf(real y) { return -y; }
}
