data {
  vector/* ERROR "vector takes 1 size(s), found 2" */[3, 4] x;
}
