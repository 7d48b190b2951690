functions {
  real f(real x) {
    /* ERROR "cannot assign to function argument or loop identifier 'x'" */x = 2;
    return x;
  }
}
