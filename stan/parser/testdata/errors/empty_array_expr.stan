transformed data {
  array[0] real x = /* ERROR "an array expression needs at least one element" */{};
}
