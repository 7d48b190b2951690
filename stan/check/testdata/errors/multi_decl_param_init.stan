parameters {
  real<lower=0> a = /* ERROR "variables in the parameters block cannot be given values" */1, b;
}
