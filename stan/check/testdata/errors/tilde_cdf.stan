parameters { real y; }
model {
  /* ERROR "CDFs and CCDFs cannot be used in ~ statements: 'normal_cdf' is not a density" */y ~ normal_cdf(0, 1);
}
