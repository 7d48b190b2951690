model {
  /* ERROR "\"else\" without a matching \"if\"" */else { }
}
