transformed data {
  vector[2] v = /* ERROR "cannot initialise v of type vector with a value of type array[] int" */{1, 2};
}
