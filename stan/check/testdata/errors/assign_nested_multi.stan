transformed data {
  array[3, 2] real a;
  matrix[3, 3] m;
  array[2] int ii = {1, 2};
  a[2][1] = 1;
  a[2, 1:2] = {1.0, 2.0};
  m[ii, 2] = [1, 2]';
  a[/* ERROR "a multiple index (a range or an array of ints) cannot be followed by more brackets on the left of an assignment" */2:3][1] = {1.0, 2.0};
}
