// The language's semantics against rstan 2.21 (TestSemanticsAgainstStan221):
// integer division and modulus of negative numbers, precedence and
// associativity, the conditional operator, logical operators on reals,
// user functions (recursive, _lp, _lpdf), loops with break and continue,
// empty ranges, every indexing form, and matrix arithmetic. Stan 2.21
// syntax.
functions {
  real twice_lp(real x) {
    target += -0.5 * x ^ 2;
    return 2 * x;
  }
  real harmonic(real x, int n) {
    real s = 0;
    for (i in 1:n) s += x / i;
    return s;
  }
  real shifted_lpdf(real y, real mu) {
    return normal_lpdf(y | mu, 1);
  }
  real fact(int n);
  real fact(int n) {
    if (n <= 1) return 1;
    return n * fact(n - 1);
  }
  vector rotate(vector v) {
    int n = num_elements(v);
    if (n <= 1) return v;
    return append_row(v[2:n], v[1]);
  }
}
transformed data {
  int a = 7 / 2;
  int b = -7 / 2;
  int c = -7 % 3;
  int d = 7 % -3;
  real e = 7.0 / 2;
  int m = min(3, -2) + max(4, 9) * 2;
  real p = -2 ^ 2;
  real q = 2 ^ 3 ^ 2;
  int r = 2 + 3 * 4 - 6 / 4 * 2;
  int lg = (3 > 2) + (2 >= 2) + (1 == 1) + (1 != 1) + !0 + (1 && 0) + (0 || 1);
}
parameters {
  real x;
  real<lower=0> y;
  vector[3] v;
  matrix[2, 2] M;
  row_vector[3] rw;
}
model {
  real s = 0;
  s += a * x + b * y + c + d * x * y + e * x + m * 0.01 * y;
  s += p * x + q * 1e-3 * y + r * 0.1 * x + lg * 0.05 * y;
  s += -x ^ 2 / 8 + (-x) ^ 2 / 16 + 2 * -x + x * y ^ 0.5;
  s += x > 0 ? x : -x;
  s += (x < y ? 1 : 2) * 0.3;
  s += (x < y) + (x == x) + !(x > y) + (x > 0 && y > 0) + (x > 0 || y < 0);
  s += twice_lp(x);
  s += harmonic(y, 4);
  s += shifted_lpdf(x | y);
  s += fact(5) * 1e-3 * x;
  s += sum(rotate(v) .* v) + dot_product(rotate(rotate(v)), v);
  s += sum(M * v[1:2]) + rw * v + v' * v + sum(v * rw) + sum(M' * M);
  s += sum(M .* M) + sum(M ./ (M + 3)) + sum((M + diag_matrix(rep_vector(4, 2))) \ v[1:2]);
  s += sum(v[1:2]' / (M + diag_matrix(rep_vector(4, 2))));
  s += M[1, 2] * M[2][1] + M[2, 2] - M[1][1];
  s += sum(v[{3, 1}]) + sum(v[2:3]) + sum(v[:2]) + sum(v[2:]) + v[3];
  s += sum(M[1]) + sum(M[:, 2]) + sum(M[2:, 1]) + sum(M[{2, 1}, {1}]) + sum(rw[{3, 3, 1}]);
  s += log_sum_exp(v) + log_sum_exp(x, y) + fma(x, y, 1) + fmin(x, y) + fmax(x, -y);
  {
    int i = 0;
    while (1) {
      i += 1;
      if (i > 5) break;
      if (i % 2 == 0) continue;
      s += i * x * 0.1;
    }
  }
  for (i in 3:1) s += 100;
  for (i in 1:3) {
    for (j in i:3) {
      if (j == 2) continue;
      s += v[i] * v[j] * 0.01;
    }
  }
  s *= 0.5;
  s -= x * 0.25;
  s /= 1.5;
  target += s;
  target += -0.5 * dot_self(v) - 0.5 * y;
}
