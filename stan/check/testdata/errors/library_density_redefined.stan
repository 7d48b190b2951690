functions {
  /* ERROR "function 'normal_lpdf' is already defined in the Stan library with argument types (real, real, real)" */real normal_lpdf(real y, real mu, real sigma) { return 0; }
}
