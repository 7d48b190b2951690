transformed data {
  tuple(real, real) a = (1, 2);
  tuple(real, real) b = /* ERROR "ill-typed arguments supplied to infix operator +" */a + a;
}
