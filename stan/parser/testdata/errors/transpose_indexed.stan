transformed data {
  vector[3] v = [1, 2, 3]';
  real x = v'/* ERROR "a transposed expression cannot be indexed: put it in parentheses, as in (x')[i]" */[1];
}
