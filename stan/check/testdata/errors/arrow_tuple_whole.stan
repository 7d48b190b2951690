transformed data {
  array[2] tuple(real, real) t;
  t[1] /* ERROR "the old assignment operator <- cannot assign a tuple" */<- (1, 2);
}
