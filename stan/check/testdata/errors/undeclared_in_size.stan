data {
  vector[/* ERROR "identifier 'N' not in scope" */N] y;
}
