transformed data {
  real /* ERROR "identifiers must start with a letter, found _x" */_x = 1;
}
