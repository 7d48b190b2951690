model {
  /* ERROR "local variables cannot have constraints: declare a as vector" */vector<lower=0>[2] a, b;
}
