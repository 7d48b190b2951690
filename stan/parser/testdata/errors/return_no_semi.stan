functions {
  real f() { return 1/* ERROR "expected \";\", found \"}\"" */ }
}
