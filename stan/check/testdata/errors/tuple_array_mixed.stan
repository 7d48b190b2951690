transformed data {
  array[2] tuple(real, real) x = {(1, 2), /* ERROR "array expression elements must have the same type: found tuple(int, int) and tuple(int, int, int)" */(3, 4, 5)};
}
