data {
  array[3] int y;
}
parameters {
  real eta;
  ordered[2] c;
}
model {
  // Unlike ordered_probit, ordered_logistic takes an array of outcomes
  // only with a vector of linear predictors.
  target += /* ERROR "no matching signature for 'ordered_logistic_lpmf' with arguments (array[] int, real, vector)" */ordered_logistic_lpmf(y | eta, c);
}
