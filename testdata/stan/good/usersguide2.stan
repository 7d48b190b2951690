// Forms of the Stan User's Guide (2.40) probed in its full-chapter accept
// probe: a user-defined _cdf taking a tuple and called with a bar, a
// literal on the left of ~, a user overload of a library function's name
// (whose argument shares the name) passed to an integrator, a foreach over
// an array of row vectors, and an array of vectors indexed by an index
// array and a single index on the left of ~.
functions {
  real pair_cdf(tuple(real, real) z, real k) {
    return (z.1 + z.2) * k;
  }
  real beta(real x, real xc, real alpha, real beta) {
    return x ^ (alpha - 1) * (1 - x) ^ (beta - 1);
  }
}
data {
  array[3] vector[2] y;
}
transformed data {
  array[2] int ns = {1, 3};
  real total = 0;
  for (v in {[1, 2], [3, 4]}) {
    total += v[1] * v[2];
  }
}
parameters {
  real<lower=0, upper=1> p;
  real mu;
}
model {
  1 ~ bernoulli(p);
  y[ns, 1] ~ normal(mu, 1);
  target += log(pair_cdf((p, mu ^ 2) | 2));
}
generated quantities {
  real cdf = pair_cdf((0.5, 2.0) | 1.0);
  real b23 = integrate_1d_gauss_kronrod(beta, 0, 1, 2, 3);
  real tot = total;
  real lb = beta(2, 3);
}
