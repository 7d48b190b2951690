model {
  for (i in 1:3) /* ERROR "a declaration cannot be the body of a loop or conditional" */real x = i;
}
