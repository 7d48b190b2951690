transformed data {
  array[2] int a;
  array[2] int b = /* ERROR "ill-typed argument supplied to prefix operator -" */-a;
}
