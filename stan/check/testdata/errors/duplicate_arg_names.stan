functions {
  /* ERROR "all function arguments must have distinct identifiers: 'x' names two" */real f(real x, real x) {
    return x;
  }
}
