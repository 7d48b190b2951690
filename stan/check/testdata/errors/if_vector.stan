transformed data {
  vector[2] v;
  if (/* ERROR "condition must be of type int or real, found vector" */v) print("x");
}
