transformed data {
  real x = /* ERROR "invalid character '_' in number 1._5" */1._5;
}
