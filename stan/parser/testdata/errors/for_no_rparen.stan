model {
  for (i in 1:10 /* ERROR "expected \")\", found \"{\"" */{ }
}
