data {
  int x;
}
generated quantities {
  int y;
  (/* ERROR "cannot assign to global variable 'x' declared in the data block" */x, y) = (1, 2);
}
