// Since Stan 2.39 a user function whose name ends in _jacobian is a
// Jacobian function even where the functions block never touches the
// Jacobian (before, such a program only drew a warning).
functions {
  real my_jacobian(real x) { return 2 * x; }
}
parameters { real y; }
model {
  target += /* ERROR "functions whose names end in _jacobian are only allowed in the transformed parameters block or other _jacobian functions" */my_jacobian(y);
}
