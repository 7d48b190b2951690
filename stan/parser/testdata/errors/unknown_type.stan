data {
  /* ERROR "\"reel\" is not a type" */reel x;
}
