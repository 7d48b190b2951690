networks {
  real f(real x) /* ERROR "a network is declared, not defined" */{ return x; }
}
