parameters { real y; }
model {
  /* ERROR "jacobian += is only allowed in the transformed parameters block or in functions whose names end in _jacobian" */jacobian += y;
}
