parameters {
  real<lower=1> n;
}
generated quantities {
  vector[/* ERROR "non-data variables are not allowed in the sizes of top-level declarations" */n] v;
}
