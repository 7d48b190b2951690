model {
  /* ERROR "void return statements may only be used inside non-returning function definitions" */return;
}
