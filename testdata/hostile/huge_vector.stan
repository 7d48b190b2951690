parameters {
  vector[2000000000] v;
}
model { v ~ normal(0, 1); }
