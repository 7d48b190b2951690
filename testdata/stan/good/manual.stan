// The Stan Reference Manual's statements and expressions, one corner
// each, with values known from the manual's definitions (issue 14):
// slices and multi-indexes on both sides of an assignment, compound
// declarations, array, vector and matrix literals, the conditional
// operator's promotion, integer division, sizes given by expressions,
// bounds, offsets and multipliers given by vectors, forward-declared and
// recursive functions, and tuple unpacking.
functions {
  int fib(int n);
  int fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }
  void check_positive(real x) {
    if (x <= 0) {
      reject("not positive: ", x);
    }
  }
}
data {
  int N;
  vector[N] lo;
  vector[N] hi;
}
transformed data {
  int M = N + 1, K = M * 2;
  vector[M] v = linspaced_vector(M, 1, M);
  matrix[N, M] A = rep_matrix(0, N, M);
  array[K] int idx;
  for (k in 1:K) {
    idx[k] = K - k + 1;
  }
  A[1, :] = v';
  A[:, 2] = rep_vector(7, N);
  A[2:N, 3:M] = rep_matrix(-1, N - 1, M - 2);
  check_positive(v[1]);
}
parameters {
  vector<lower=lo, upper=hi>[N] b;
  vector<offset=lo, multiplier=hi - lo>[N] c;
  real<lower=0> s;
}
model {
  b ~ normal(0, 1);
  c ~ normal(lo, hi - lo);
  s ~ exponential(1);
}
generated quantities {
  real a12 = A[1, 2];  // the column assignment after the row's: 7
  real a13 = A[1, 3];  // v[3] = 3
  real a23 = A[2, 3];  // -1
  real rev = sum(v[idx[K - M + 1:K]] .* v); // v reversed by idx: 1·3 + 2·2 + 3·1 = 10
  real tail = sum(v[2:]);  // 2 + 3
  real head2 = sum(v[:2]); // 1 + 2
  vector[3] w = [1, 2, 3]';
  w[{3, 1}] = w[1:2];      // a multi-index on the left: w = [2, 2, 1]
  real w1 = w[1];
  real w3 = w[3];
  array[2, 3] real arr = {{1, 2.5, 3}, {4, 5, 6}};
  real arr12 = arr[1, 2];
  real col2 = sum(to_vector(arr[:, 2])); // 2.5 + 5
  matrix[2, 2] m = [[1, 2], [3, 4]];
  real m21 = m[2, 1];
  real mrow = sum(m[2]); // 3 + 4
  real cond = N > 100 ? 1 : 0.5; // int and real branches give a real
  int idiv = 7 %/% 2;
  int fib10 = fib(10);
  real bin = b[1];
  int inb = b[1] > lo[1] && b[1] < hi[1];
  real x;
  int y;
  (x, y) = (1.5, 3);
  real xy = x * y;
}
