functions {
  real f(int k, real lambda) { return /* ERROR "use poisson_lpmf here" */poisson_lupmf(k | lambda); }
}
parameters { real<lower=0> y; }
model { target += f(3, y); }
