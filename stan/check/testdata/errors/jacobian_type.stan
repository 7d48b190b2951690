parameters { real y; }
transformed parameters {
  jacobian += /* ERROR "jacobian += needs a real, int or container of reals, found complex" */to_complex(y, 1);
}
