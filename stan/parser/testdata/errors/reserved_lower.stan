data {
  real /* ERROR "expected an identifier, found reserved word \"lower\"" */lower;
}
