functions {
  /* ERROR "function 'f' must return a value of type real on every path" */real f(real x) {
    {
      return x;
    }
    ;
  }
}
