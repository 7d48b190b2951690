transformed data {
  reject("no good: ", 42);
}
parameters { real x; }
model { x ~ normal(0, 1); }
