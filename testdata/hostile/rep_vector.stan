transformed data {
  vector[3] v = rep_vector(0, 2000000000);
}
parameters { real x; }
model { x ~ normal(0, 1); }
