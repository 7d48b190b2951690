generated quantities {
  real t = /* ERROR "target() is only allowed" */target();
}
