data {
  int N;
  real /* ERROR "identifier 'N' is already in use" */N;
}
