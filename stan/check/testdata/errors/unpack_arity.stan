transformed data {
  real a;
  real b;
  /* ERROR "cannot unpack a value of type tuple(int, int, int) into 2 variables: the value must be a tuple with 2 members" */(a, b) = (1, 2, 3);
}
