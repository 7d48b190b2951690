parameters {
  sum_to_zero_vector[3] x[/* ERROR "the old array syntax x[...] cannot declare a sum_to_zero_vector" */2];
}
