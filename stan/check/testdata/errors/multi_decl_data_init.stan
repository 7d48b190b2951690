data {
  int N, M = /* ERROR "variables in the data block cannot be given values" */2;
}
