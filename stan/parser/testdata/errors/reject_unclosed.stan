model {
  reject("x"/* ERROR "expected \",\" or \")\", found \";\"" */;
}
