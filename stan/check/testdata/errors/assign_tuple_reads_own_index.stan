transformed data {
  tuple(int, array[2] real) t = (1, {1.0, 2.0});
  /* ERROR "the variable 't' is assigned here, so it cannot be read in an index on the left side of the assignment" */t.2[t.1] += 5;
}
