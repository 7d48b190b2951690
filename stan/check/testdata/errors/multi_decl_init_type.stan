transformed data {
  int i = 1, j = /* ERROR "cannot initialise j of type int with a value of type real" */2.5;
}
