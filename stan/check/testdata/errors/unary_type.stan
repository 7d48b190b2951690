transformed data {
  array[2] int a;
  // - is vectorised (stanc3 2.31), + is not.
  array[2] int c = -a;
  array[2] int b = /* ERROR "ill-typed argument supplied to prefix operator +" */+a;
}
