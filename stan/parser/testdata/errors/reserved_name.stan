data {
  real /* ERROR "expected an identifier, found reserved word \"for\"" */for;
}
