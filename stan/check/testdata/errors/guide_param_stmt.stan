guide parameters {
  real m;
  /* ERROR "only variable declarations are allowed in the guide parameters block" */m = 1;
}
