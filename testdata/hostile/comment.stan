parameters { real x; }
/* never closed
model { x ~ normal(0, 1); }
