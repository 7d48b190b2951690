transformed data {
  tuple(real, real) t = (1, 2);
  real x = /* ERROR "tuple index .99999999999999999999 is too large" */t.99999999999999999999;
}
