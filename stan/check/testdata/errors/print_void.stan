functions {
  void f() { }
}
model {
  print(/* ERROR "void function 'f' has no value to use in an expression" */f());
}
