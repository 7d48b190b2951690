transformed data {
  vector[2] v;
  real x = 1 ? /* ERROR "the branches of a conditional expression have different types: vector and real" */v : 1.0;
}
