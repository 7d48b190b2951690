data {
  array[/* ERROR "array dimension must be of type int, found real" */1.5] real v;
}
