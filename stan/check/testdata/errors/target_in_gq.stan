generated quantities {
  /* ERROR "target += is only allowed in the model block" */target += 1;
}
