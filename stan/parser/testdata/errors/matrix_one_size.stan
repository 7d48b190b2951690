data {
  matrix/* ERROR "matrix takes 2 size(s), found 1" */[3] x;
}
