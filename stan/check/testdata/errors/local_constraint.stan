model {
  /* ERROR "local variables cannot have constraints" */real<lower=0> x;
}
