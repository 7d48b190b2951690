parameters {
  array[100000, 100000, 100000] real x;
}
model { }
