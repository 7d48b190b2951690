parameters { real mu; }
model {
  mu ~ /* ERROR "no distribution 'nromal' was found" */nromal(0, 1);
}
