transformed data {
  real x = /* ERROR "a tuple expression needs at least two elements, found none" */();
}
