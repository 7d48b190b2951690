data {
  real x = /* ERROR "variables in the data block cannot be given values" */1;
}
