parameters {
  vector[-3] v;
}
model { v ~ normal(0, 1); }
