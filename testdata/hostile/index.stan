transformed data {
  array[3] real a = {1.0, 2.0, 3.0};
  real b = a[7];
}
parameters { real x; }
model { x ~ normal(0, 1); }
