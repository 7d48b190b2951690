data {
  tuple(real, real) x[/* ERROR "the old array syntax x[...] cannot declare a tuple" */3];
}
