parameters {
  real v;
}
model {
  // The unnormalised CDFs have 4 or 7 parameters (and a precision), not 6.
  target += /* ERROR "no matching signature for 'wiener_lccdf_unnorm'" */wiener_lccdf_unnorm(1.0, 1, 0.2, 0.5, v, 0.1, 0.1);
}
