functions {
  real /* ERROR "expected an identifier, found \"(\"" */(real x) { return x; }
}
