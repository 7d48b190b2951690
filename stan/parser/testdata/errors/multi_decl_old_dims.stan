data {
  real x[2]/* ERROR "several variables declared at once need the array[...] syntax: write array[...] before the type, not after the name" */, y;
}
