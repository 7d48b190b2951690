networks {
  real f(real x);
  real /* ERROR "identifier 'f' is already in use" */f(real y);
}
