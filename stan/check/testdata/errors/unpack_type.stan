transformed data {
  int a;
  real b;
  (/* ERROR "ill-typed unpacking: member 1 of the value has type real, which cannot be assigned to the left side's type int" */a, b) = (1.5, 2);
}
