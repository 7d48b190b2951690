transformed data {
  array[2] tuple(real, int) t;
  real x = t/* ERROR "'.1' selects a tuple member, but the expression has type array[] tuple(real, int), which is not a tuple" */.1;
}
