transformed data {
  tuple(int, real) t = /* ERROR "cannot initialise t of type tuple(int, real) with a value of type tuple(real, real)" */(1.5, 2.5);
}
