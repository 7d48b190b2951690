transformed data {
  real x = /* ERROR "string literals can only be arguments of print, reject and fatal_error" */"a";
}
