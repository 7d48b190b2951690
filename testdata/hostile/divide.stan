transformed data {
  int a = 0;
  int b = 1 %/% a;
}
parameters { real x; }
model { x ~ normal(0, 1); }
