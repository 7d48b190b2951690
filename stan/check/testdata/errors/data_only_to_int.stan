parameters { real x; }
model {
  // to_int takes data only: its value has no derivative.
  int k = to_int(/* ERROR "Ill-typed arguments supplied to function 'to_int': the first argument must be data-only" */x);
}
