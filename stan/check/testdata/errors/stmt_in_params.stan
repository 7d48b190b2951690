parameters {
  real x;
  /* ERROR "only variable declarations are allowed in the parameters block" */x ~ normal(0, 1);
}
