transformed data {
  /* ERROR "cannot initialise j of type int with a value of type real" */int i = 1, j = 2.5;
}
