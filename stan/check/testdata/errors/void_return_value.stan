functions {
  void f(real x) {
    return /* ERROR "void function 'f' cannot return a value" */x;
  }
}
