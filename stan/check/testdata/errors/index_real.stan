transformed data {
  vector[2] v;
  real x = v[/* ERROR "an index must be of type int or array[] int, or a range, found real" */1.5];
}
