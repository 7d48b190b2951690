data {
  real /* ERROR "invalid character '\\v'" */ x;
}
