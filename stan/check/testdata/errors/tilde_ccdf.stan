parameters { real y; }
model {
  y ~ /* ERROR "CDFs and CCDFs cannot be used in ~ statements" */normal_ccdf(0, 1);
}
