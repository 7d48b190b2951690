parameters {
  vector[2] v;
  vector[size(/* ERROR "non-data variables are not allowed in the sizes of top-level declarations" */v)] w;
}
