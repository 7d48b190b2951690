data {
  real /* ERROR "expected an identifier, found \";\"" */;
}
