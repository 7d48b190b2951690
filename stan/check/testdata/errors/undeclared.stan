model {
  target += /* ERROR "identifier 'mu' not in scope" */mu;
}
