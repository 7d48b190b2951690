functions {
  /* ERROR "expected a type, found identifier \"foo\"" */foo f(real x) { return x; }
}
