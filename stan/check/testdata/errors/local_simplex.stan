model {
  /* ERROR "local variables cannot have constraints: declare s as vector" */simplex[3] s;
}
