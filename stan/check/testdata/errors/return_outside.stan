model {
  /* ERROR "return statements with a value are only allowed in function bodies" */return 1;
}
