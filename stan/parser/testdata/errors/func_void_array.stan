functions {
  array[] /* ERROR "void is a function's return type alone" */void f() { }
}
