model {
  /* ERROR "break statements are only allowed in the body of a for-loop or while-loop" */break;
}
