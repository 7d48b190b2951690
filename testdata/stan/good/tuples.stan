// Tuples: types in every block, literals, member access and assignment,
// unpacking, tuple-returning functions, constrained members.
functions {
  tuple(real, vector) scale_pair(tuple(real, vector) p, real s) {
    return (p.1 * s, p.2 * s);
  }
  tuple(int, tuple(real, real)) nested(int n) {
    return (n, (n / 2.0, n * 2.0));
  }
  // A one-member tuple (Stan 2.39) from a function whose last statement
  // is fatal_error (Stan 2.36), which needs no return after it.
  tuple(real,) halve_checked(real x) {
    if (x >= 0) {
      return (x / 2,);
    }
    fatal_error("halve_checked: negative argument ", x);
  }
}
data {
  tuple(int, array[2] real) d;
}
transformed data {
  tuple(real, vector[2]) td = (1.5, [1, 2]');
  array[2] tuple(int, real) arr = {(1, 2.5), (3, 4.5)};
  int a;
  real b;
  (a, b) = arr[2];
  tuple(matrix[2, 2], vector[2]) eig = eigendecompose_sym([[2, 1], [1, 2]]);
}
parameters {
  tuple(real<lower=0>, vector<lower=-1, upper=1>[2]) p;
  real mu;
}
transformed parameters {
  tuple(real, vector[2]) q = scale_pair(p, 2);
}
model {
  p.1 ~ exponential(1);
  p.2 ~ normal(0, 0.5);
  mu ~ normal(td.1 + d.2[1], 1);
}
generated quantities {
  tuple(int, tuple(real, real)) g = nested(d.1);
  real first = g.2.1 + eig.2[1];
  g.2.2 = b + a;
  real half = halve_checked(d.1).1;
}
