transformed data {
  real x = 1;
  x /* ERROR "~ statement is only allowed in the model block" */~ normal(0, 1);
}
