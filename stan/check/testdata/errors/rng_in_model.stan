parameters { real mu; }
model {
  real x = /* ERROR "random number generators are only allowed in the transformed data block" */normal_rng(0, 1);
}
