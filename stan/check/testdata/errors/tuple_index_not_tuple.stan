transformed data {
  vector[2] v = [1, 2]';
  real x = v/* ERROR "'.1' selects a tuple member, but the expression has type vector, which is not a tuple" */.1;
}
