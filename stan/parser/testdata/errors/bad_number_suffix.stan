transformed data {
  real x = /* ERROR "invalid character 'a' in number 12abc" */12abc;
}
