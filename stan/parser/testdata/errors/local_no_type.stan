model {
  /* ERROR "\"x\" is not a type" */x y;
}
