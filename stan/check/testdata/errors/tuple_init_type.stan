transformed data {
  /* ERROR "cannot initialise t of type tuple(int, real) with a value of type tuple(real, real)" */tuple(int, real) t = (1.5, 2.5);
}
