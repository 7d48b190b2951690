transformed data {
  tuple(real, int) t = (1.5, 2);
  real x = t'/* ERROR "a transposed expression cannot be indexed" */.1;
}
