functions {
  real f(real x /* ERROR "expected \",\" or \")\", found identifier \"real\"" */real y) { return x; }
}
