parameters { vector[3] v; }
model {
  // quantile's arguments are data (stanc3: data vector, data real).
  target += quantile(/* ERROR "Ill-typed arguments supplied to function 'quantile': the first argument must be data-only. (Local variables are assumed to depend on parameters; same goes for function inputs unless they are marked with the keyword 'data'.)" */v, 0.5);
}
