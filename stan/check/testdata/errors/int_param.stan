parameters {
  /* ERROR "parameters cannot be integers" */int n;
}
