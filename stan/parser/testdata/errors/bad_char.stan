model {
  real x = 1 /* ERROR "invalid character '@'" */@ 2;
}
