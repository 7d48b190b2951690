model {
  for (i /* ERROR "expected \"in\", found integer literal 1" */1:10) { }
}
