parameters { real x; }
model {
  complex_vector[2] z;
  z[1] = to_complex(x, 1);
  z[2] = 2;
  target += /* ERROR "target += needs a real, int or container of reals" */z;
}
