functions {
  real f(real x) /* ERROR "expected \"{\" or \";\", found identifier \"return\"" */return x;
}
