data {
  /* ERROR "integer variables cannot have an offset or multiplier: declare n as real" */int<offset=1> n;
}
