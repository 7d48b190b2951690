parameters { real x; }
model {
  int k = 2.5;
  x ~ normal(0, 1);
}
