transformed data {
  real a;
  /* ERROR "the left side of an unpacking assignment must list variables, possibly indexed, or such lists in parentheses" */(a, a + 1) = (1, 2);
}
