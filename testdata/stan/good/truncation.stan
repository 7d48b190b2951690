// Vectorised truncation of a user-defined family (Stan 2.31): the
// exponential written out, its CDFs taking the rates as a vector (one
// bound) and as a scalar (both bounds: called element by element).
functions {
  real my_exp_lpdf(vector y, vector lambda) { return sum(log(lambda) - lambda .* y); }
  real my_exp_lpdf(vector y, real lambda) { return rows(y) * log(lambda) - lambda * sum(y); }
  real my_exp_lcdf(real y, vector lambda) { return sum(log1m_exp(-lambda * y)); }
  real my_exp_lccdf(real y, vector lambda) { return -sum(lambda) * y; }
  real my_exp_lcdf(real y, real lambda) { return log1m_exp(-lambda * y); }
  real my_exp_lccdf(real y, real lambda) { return -lambda * y; }
}
transformed data {
  vector[3] y = [0.5, 1.2, 2.5]';
}
parameters {
  vector<lower=0>[3] lambda;
  real<lower=0> rate;
}
model {
  lambda ~ gamma(2, 2);
  rate ~ gamma(2, 2);
  y ~ my_exp(lambda) T[0.2, ];
  y ~ my_exp(lambda) T[, 3];
  y ~ my_exp(lambda) T[0.1, 4];
  y ~ my_exp(rate) T[0.1, 4];
}
generated quantities {
  // The truncated exponential's memorylessness: given y > 0.2, y - 0.2 is
  // exponential again, so its log density at 0.7 is that at 0.5 + 0.2.
  real mless = my_exp_lpdf([0.7]' | 2.0) - my_exp_lccdf(0.2 | 2.0) - my_exp_lpdf([0.5]' | 2.0); // 0
  real ltwo = my_exp_lcdf(log(2) | 1.0); // log(1/2)
}
