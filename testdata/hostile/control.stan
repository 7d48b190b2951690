parameters { real x[2J; }
model { x ~ normal(0, 1); }
