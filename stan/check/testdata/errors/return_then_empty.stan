functions {
  real f(real x) {
    {
      return x;
    }
    ;
  /* ERROR "function 'f' must return a value of type real on every path" */}
}
