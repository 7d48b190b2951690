parameters { real y; }
model {
  y ~ /* ERROR "CDFs and CCDFs cannot be used in ~ statements: 'normal_cdf' is not a density" */normal_cdf(0, 1);
}
