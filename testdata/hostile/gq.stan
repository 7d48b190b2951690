parameters { real x; }
model { x ~ normal(0, 1); }
generated quantities { real y = 2 * x; }
