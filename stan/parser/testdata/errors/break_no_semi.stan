model {
  while (1) { break/* ERROR "expected \";\", found \"}\"" */ }
}
