transformed data {
  vector[3] a, b/* ERROR "several variables declared at once need the array[...] syntax: write array[...] before the type, not after the name" */[2];
}
