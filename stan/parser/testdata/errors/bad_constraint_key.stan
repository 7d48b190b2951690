data {
  real</* ERROR "expected \"lower\", \"upper\", \"offset\" or \"multiplier\", found \"lowr\"" */lowr=0> x;
}
