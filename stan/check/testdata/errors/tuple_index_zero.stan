transformed data {
  tuple(real, int) t = (1.5, 2);
  real x = t/* ERROR "tuple index 0 is out of range" */.0;
}
