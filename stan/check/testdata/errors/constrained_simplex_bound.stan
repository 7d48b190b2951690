parameters {
  /* ERROR "simplex variables cannot have bounds, offsets or multipliers" */simplex<lower=0>[3] s;
}
