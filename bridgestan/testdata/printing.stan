// A program that prints and draws, for the print callback and the rng of
// the BridgeStan library (print_client.py).
data {
  int N;
}
transformed data {
  print("N = ", N);
}
parameters {
  real x;
}
model {
  print("x = ", x);
  x ~ normal(0, 1);
}
generated quantities {
  real y = normal_rng(x, 1);
}
