model {
  target += /* ERROR "target += needs a real, int or container of reals, found tuple(real, real)" */(1.0, 2.0);
}
