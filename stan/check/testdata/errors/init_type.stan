transformed data {
  int n = /* ERROR "cannot initialise n of type int with a value of type real" */1.5;
}
