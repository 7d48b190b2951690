functions {
  real foo_lpmf(/* ERROR "probability mass functions require integer variates" */real y, real mu) { return 0; }
}
