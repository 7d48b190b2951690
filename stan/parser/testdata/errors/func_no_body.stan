functions {
  real f(real x)
/* ERROR "expected \"{\", \";\" or a statement as the function's body, found \"}\"" */}
