transformed data {
  array[2] int a = {1, 2};
  for (x in a /* ERROR "expected \")\", found \"{\"" */{ }
}
