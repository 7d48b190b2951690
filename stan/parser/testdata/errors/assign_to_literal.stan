transformed data {
  /* ERROR "the left side of an assignment must be a variable" */3 = 4;
}
