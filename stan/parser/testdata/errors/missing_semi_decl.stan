data {
  int N/* ERROR "expected \";\", found \"}\"" */
}
