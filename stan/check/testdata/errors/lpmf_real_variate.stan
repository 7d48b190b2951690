functions {
  /* ERROR "probability mass functions require integer variates" */real foo_lpmf(real y, real mu) { return 0; }
}
