functions {
  /* ERROR "probability density functions require real variates" */real foo_lpdf(int y, real mu) { return 0; }
}
