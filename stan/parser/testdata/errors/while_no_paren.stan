model {
  while /* ERROR "expected \"(\", found integer literal 1" */1 { }
}
