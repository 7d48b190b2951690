parameters {
  real x = /* ERROR "variables in the parameters block cannot be given values" */1;
}
