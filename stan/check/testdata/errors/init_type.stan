transformed data {
  /* ERROR "cannot initialise n of type int with a value of type real" */int n = 1.5;
}
