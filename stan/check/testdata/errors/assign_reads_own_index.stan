transformed data {
  // stanc3 checks every assignment as it checks an unpacking one: the
  // variable assigned cannot be read in an index of its own left side.
  array[3] int x = {1, 2, 3};
  /* ERROR "the variable 'x' is assigned here, so it cannot be read in an index on the left side of the assignment" */x[x[1]] = 5;
}
