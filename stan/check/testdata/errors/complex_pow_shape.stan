transformed data {
  // pow pairs containers of one type, or a container and a scalar.
  complex_vector[2] v;
  array[2] real a;
  complex_vector[2] p = /* ERROR "no matching signature for 'pow' with arguments (complex_vector, array[] real)" */pow(v, a);
}
