transformed data {
  /* ERROR "continue statements are only allowed in the body of a for-loop or while-loop" */continue;
}
