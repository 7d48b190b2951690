transformed data {
  array[2] int a;
  while (/* ERROR "condition must be of type int, found array[] int" */a) { }
}
