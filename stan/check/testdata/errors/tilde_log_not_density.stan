functions {
  vector safe_log(vector x) { return log(x); }
}
parameters { vector<lower=0>[2] y; }
model {
  /* ERROR "ill-typed arguments to '~' statement: no distribution 'safe' accepts arguments (vector)" */y ~ safe();
}
