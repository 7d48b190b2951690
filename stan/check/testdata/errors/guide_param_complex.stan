parameters {
  real x;
}
model {
  x ~ normal(0, 1);
}
guide parameters {
  /* ERROR "guide parameters cannot be complex" */complex m;
}
guide {
  x ~ normal(get_real(m), 1);
}
