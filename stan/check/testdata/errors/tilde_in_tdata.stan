transformed data {
  real x = 1;
  /* ERROR "~ statement is only allowed in the model block" */x ~ normal(0, 1);
}
