transformed data {
  tuple(real, int) t = (1.5, 2);
  real x = t/* ERROR "tuple index 3 is out of range: the tuple has type tuple(real, int), with members 1 to 2" */.3;
}
