transformed data {
  reject("[2J[31mgone");
}
parameters { real x; }
model { x ~ normal(0, 1); }
