transformed data {
  array[/* ERROR "expected the sizes of the array, found \"]\"" */] real a;
}
