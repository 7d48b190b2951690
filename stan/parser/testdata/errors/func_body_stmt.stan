functions {
  real absdiff(real x, real y) /* ERROR "a function's body must be a block: enclose the statement in braces { ... }" */if (x > y) return x - y; else return y - x;
}
