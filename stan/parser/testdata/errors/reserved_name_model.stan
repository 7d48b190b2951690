data {
  int /* ERROR "expected an identifier, found reserved word \"model\"" */model;
}
