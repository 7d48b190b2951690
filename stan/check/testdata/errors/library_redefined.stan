functions {
  /* ERROR "function 'exp' is already defined in the Stan library" */real exp(real x) { return x; }
}
