data {
  vector[/* ERROR "vector size must be of type int, found real" */2.5] v;
}
