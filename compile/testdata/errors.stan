data {
  int k;
}
parameters {
  real x;
}
model {
  vector[3] v = rep_vector(x, 3);
  if (k == 1) target += v[4];
  if (k == 2) reject("bad x: ", x);
  if (k == 3) x ~ normal(0, -1);
  x ~ normal(0, 1);
}
