transformed data {
  real a;
  real b;
  /* ERROR "cannot unpack a value of type real into 2 variables" */(a, b) = 1.5;
}
