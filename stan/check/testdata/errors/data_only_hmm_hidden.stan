data { matrix[2, 3] lo; vector[2] rho; }
parameters { simplex[2] g; }
model {
  // hmm_hidden_state_prob's arguments are all data.
  matrix[2, 2] G = [g', g'];
  print(hmm_hidden_state_prob(lo, /* ERROR "Ill-typed arguments supplied to function 'hmm_hidden_state_prob': the second argument must be data-only" */G, rho));
}
