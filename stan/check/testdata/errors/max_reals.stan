transformed data {
  // Stan's max and min of two scalars take ints; fmax and fmin take reals.
  int k = max(1, 2);
  real f = fmax(1.5, 2);
  real m = /* ERROR "no matching signature for 'max'" */max(1.5, 2.0);
}
