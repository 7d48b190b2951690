// Forms of the Stan User's Guide programs gostan once refused or
// mis-ran (issue 14).
functions {
  real foo_lpdf(vector y, real mu) {
    return normal_lupdf(y | mu, 1);
  }
  real part(array[] real ys, int start, int end, real mu) {
    return normal_lpdf(ys | mu, 1);
  }
}
transformed data {
  vector[3] y = [1, 2, 3]';
  array[3] int k = {1, 2, 3};
}
parameters {
  real alpha;
  real beta;
}
model {
  // An array expression may start a statement.
  { alpha, beta } ~ normal(0, 5);
  // An int array is sliced to a function taking real slices.
  target += reduce_sum(part, k, 1, alpha);
}
generated quantities {
  // Called by its normalised name, foo keeps normal_lupdf's constants.
  real full = foo_lpdf(y | 0.5);
  real rs = reduce_sum(part, k, 1, 0.5);
}
