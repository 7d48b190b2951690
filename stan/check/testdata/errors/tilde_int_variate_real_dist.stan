parameters { real mu; }
model {
  /* ERROR "no distribution 'poisson' accepts arguments (real, real)" */mu ~ poisson(3.0);
}
