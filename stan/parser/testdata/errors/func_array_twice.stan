functions {
  real f(array[] real x/* ERROR "expected \",\" or \")\", found \"[\"" */[]) { return 1; }
}
