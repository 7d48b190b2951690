functions {
  real foo_lpdf(/* ERROR "probability density functions require real variates" */int y, real mu) { return 0; }
}
