parameters {
  real x, /* ERROR "expected an identifier, found \";\"" */;
}
