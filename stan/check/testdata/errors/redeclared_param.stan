data { real y; }
parameters {
  real /* ERROR "identifier 'y' is already in use" */y;
}
