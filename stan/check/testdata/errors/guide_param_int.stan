guide parameters {
  /* ERROR "guide parameters cannot be integers" */int k;
}
