transformed data {
  vector[2] v;
  real x = /* ERROR "the branches of a conditional expression have different types: vector and real" */1 ? v : 1.0;
}
