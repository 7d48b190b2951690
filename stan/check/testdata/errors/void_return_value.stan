functions {
  void f(real x) {
    /* ERROR "void function 'f' cannot return a value" */return x;
  }
}
