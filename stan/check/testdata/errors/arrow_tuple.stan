transformed data {
  tuple(real, array[2] real) t;
  t.2[1] /* ERROR "the old assignment operator <- cannot assign a tuple" */<- 2;
}
