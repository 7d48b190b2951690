// User's Guide, "User-Defined Constrained Parameters": the lower bound
// transform written out with jacobian +=, against the built-in
// real<lower=0> (tau) in the same program; both are lognormal(0, 1).
parameters {
  real log_sigma;
  real<lower=0> tau;
}
transformed parameters {
  real<lower=0> sigma = exp(log_sigma);
  jacobian += log_sigma;
}
model {
  sigma ~ lognormal(0, 1);
  tau ~ lognormal(0, 1);
}
