functions {
  real /* ERROR "identifier 'f__' clashes with a reserved keyword" */f__(real x) { return x; }
}
