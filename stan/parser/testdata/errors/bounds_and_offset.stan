parameters {
  /* ERROR "a type cannot have both bounds and an offset or multiplier" */real<lower=0, offset=1> x;
}
