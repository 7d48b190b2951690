data {
  vector[3] mu;
}
generated quantities {
  // A container argument makes the result an array.
  /* ERROR "cannot initialise x of type real with a value of type array[] real" */real x = normal_rng(mu, 1);
}
