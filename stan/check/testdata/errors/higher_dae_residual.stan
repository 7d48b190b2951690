functions {
  // A DAE residual takes (real t, vector y, vector y', ...), not an ODE's (real, vector, ...).
  vector rhs(real t, vector y, real k) {
    return -k * y;
  }
}
parameters {
  real k;
}
model {
  array[1] vector[1] y = dae(/* ERROR "the function 'rhs' passed to dae must have the signature" */rhs, [1.0]', [0.0]', 0, {1.0}, k);
}
