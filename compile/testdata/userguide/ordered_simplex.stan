// User's Guide, "Ordered simplexes": a positive_ordered vector mapped by
// simplex_jacobian, and the same with both transforms written as
// _jacobian functions of free values.
data {
  int<lower=1> N;
}
parameters {
  positive_ordered[N - 1] theta_raw;
  vector[N - 1] phi_raw;
}
transformed parameters {
  simplex[N] theta = simplex_jacobian(-theta_raw);
  simplex[N] phi = simplex_jacobian(-positive_ordered_jacobian(phi_raw));
}
