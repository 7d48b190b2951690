transformed data {
  tuple(real, real) x = /* ERROR "the branches of a conditional expression have different types: tuple(int, int) and tuple(int, int, int)" */1 ? (1, 2) : (3, 4, 5);
}
