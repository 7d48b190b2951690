parameters { real x; }
model {
  x ~ normal(mu, 1);
}
