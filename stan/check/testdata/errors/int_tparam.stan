transformed parameters {
  /* ERROR "transformed parameters cannot be integers" */int n = 1;
}
