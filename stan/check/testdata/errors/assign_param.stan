parameters { real x; }
model {
  /* ERROR "cannot assign to global variable 'x' declared in the parameters block" */x = 1;
}
