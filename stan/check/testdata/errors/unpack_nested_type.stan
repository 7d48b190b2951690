transformed data {
  real a;
  vector[2] v;
  real c;
  ((a, /* ERROR "ill-typed unpacking: member 2 of the value has type real, which cannot be assigned to the left side's type vector" */v), c) = ((1, 2.0), 3);
}
