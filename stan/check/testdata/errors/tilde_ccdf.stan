parameters { real y; }
model {
  /* ERROR "CDFs and CCDFs cannot be used in ~ statements" */y ~ normal_ccdf(0, 1);
}
