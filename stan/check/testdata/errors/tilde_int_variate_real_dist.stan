parameters { real mu; }
model {
  mu ~ /* ERROR "no distribution 'poisson' accepts arguments (real, real)" */poisson(3.0);
}
