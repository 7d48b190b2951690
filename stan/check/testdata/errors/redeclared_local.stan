model {
  real x;
  {
    real y;
  }
  int /* ERROR "identifier 'x' is already in use" */x;
}
