data {
  vector/* ERROR "expected \"[\" and the size of the vector" */ x;
}
