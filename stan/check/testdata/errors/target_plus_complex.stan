model {
  target += /* ERROR "target += needs a real, int or container of reals, found complex" */to_complex(1, 2);
}
