data {
  int N;
  vector[N] L;
}
parameters {
  array[2] vector<lower=/* ERROR "bound of type vector does not match the declared type array[] vector" */L>[N] k;
}
