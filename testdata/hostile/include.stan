#include "not_here.stan"
parameters { real x; }
model { x ~ normal(0, 1); }
