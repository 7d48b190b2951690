// User-defined functions: overloading, forward declarations, recursion,
// _lpdf/_lpmf/_rng/_lp suffixes, higher-order functions taking them.
functions {
  real twice(real x);
  real twice(real x) { return 2 * x; }
  vector twice(vector x) { return 2 * x; }
  int twice(int n) { return 2 * n; }
  int fib(int n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
  }
  real shifted_normal_lpdf(real y, real mu) { return normal_lpdf(y | mu + 1, 1); }
  real shifted_normal_rng(real mu) { return normal_rng(mu + 1, 1); }
  real add_prior_lp(real x) { target += normal_lpdf(x | 0, 10); return x; }
  real partial_sum(array[] real slice, int start, int end, real mu) {
    return normal_lpdf(slice | mu, 1);
  }
  vector decay(real t, vector y, real k) { return -k * y; }
  vector root(vector x, real c) { return [x[1] * x[1] - c]'; }
  // Names stanc3 gives operators it has no function for are free for
  // user functions, and a user overload of an operator's function does
  // not change the operator.
  real int_divide(real a, real b) { return floor(a / b); }
  real elt_pow(real a, real b) { return a ^ b; }
  real add(array[] real a, real b) { return sum(a) + b; }
}
data {
  int N;
  array[N] real y;
}
transformed data {
  int f10 = fib(10);
  vector[2] v = twice([1, 2]');
  int i2 = twice(3);
}
parameters {
  real mu;
  real<lower=0> k;
}
model {
  real m = add_prior_lp(mu);
  k ~ lognormal(0, 1);
  target += reduce_sum(partial_sum, y, 1, mu);
  y[1] ~ shifted_normal(m);
}
generated quantities {
  real t2 = twice(mu);
  real r = shifted_normal_rng(mu);
  array[2] vector[1] sol = ode_rk45(decay, [1.0]', 0, {1.0, 2.0}, k);
  vector[1] sq = solve_newton(root, [1.0]', 2.0);
  real udiv = int_divide(7.5, 2) + 7 %/% 2; // 3 + 3
  real upow = elt_pow(2, 3) + add({1.0, 2.0}, 1.0); // 8 + 4
}
