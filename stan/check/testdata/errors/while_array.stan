transformed data {
  array[2] int a;
  while (/* ERROR "condition must be of type int or real, found array[] int" */a) { }
}
