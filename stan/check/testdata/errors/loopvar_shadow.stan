model {
  real i;
  for (/* ERROR "identifier 'i' is already in use" */i in 1:3) { }
}
