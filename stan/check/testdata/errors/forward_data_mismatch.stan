functions {
  real f(data real x, int n);
  /* ERROR "function 'f' was declared with argument types (data real, int), but is defined with (real, int): the data qualifiers must agree" */real f(real x, int n) { return x * n; }
}
