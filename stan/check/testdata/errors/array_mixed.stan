transformed data {
  vector[2] v;
  array[2] real a = {1.0, /* ERROR "array expression elements must have the same type: found real and vector" */v};
}
