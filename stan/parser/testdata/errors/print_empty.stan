model {
  print(/* ERROR "expected an expression or a string, found \")\"" */);
}
