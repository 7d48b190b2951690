parameters {
  vector[2] v;
  vector[/* ERROR "non-data variables are not allowed in the sizes of top-level declarations" */size(v)] w;
}
