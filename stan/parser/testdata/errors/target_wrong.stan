model {
  /* ERROR "\"target\" can only be used as" */target = 1;
}
