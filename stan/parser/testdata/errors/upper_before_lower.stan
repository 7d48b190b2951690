data {
  real<upper=1, /* ERROR "lower must come before upper: <lower=..., upper=...>" */lower=0> x;
}
