data {
  real /* ERROR "expected an identifier, found integer literal 3" */3;
}
