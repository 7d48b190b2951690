transformed data {
  real x = /* ERROR "only probability functions take a vertical bar (|) between their arguments, not 'fmax'" */fmax(1 | 2);
}
