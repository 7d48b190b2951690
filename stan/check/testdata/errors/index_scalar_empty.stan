transformed data {
  // x[] is one index, every element: an int has none.
  real x = /* ERROR "too many indexes for a value of type int" */1[];
}
