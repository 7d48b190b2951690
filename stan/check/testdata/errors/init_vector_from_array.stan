transformed data {
  /* ERROR "cannot initialise v of type vector with a value of type array[] int" */vector[2] v = {1, 2};
}
