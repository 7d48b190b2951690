transformed data {
  vector[2] v;
  vector[1] w = v[1:/* ERROR "range bounds must be of type int, found real" */2.0];
}
