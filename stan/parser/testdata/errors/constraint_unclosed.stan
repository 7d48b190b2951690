data {
  real<lower=0/* ERROR "expected \">\", found identifier \"x\"" */ x;
}
