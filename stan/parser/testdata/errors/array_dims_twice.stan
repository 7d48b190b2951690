data {
  array[2] real x/* ERROR "array dimensions are given twice" */[3];
}
