data {
  array[3] /* ERROR "expected a type, found identifier \"x\"" */x;
}
