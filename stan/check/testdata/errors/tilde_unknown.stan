parameters { real mu; }
model {
  /* ERROR "no distribution 'nromal' was found" */mu ~ nromal(0, 1);
}
