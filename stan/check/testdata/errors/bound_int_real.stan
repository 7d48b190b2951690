data {
  int<lower=/* ERROR "bounds of an integer variable must be of type int, found real" */0.5> n;
}
