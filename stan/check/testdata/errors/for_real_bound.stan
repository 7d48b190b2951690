model {
  for (i in 1:/* ERROR "bounds of a for loop must be of type int, found real" */2.5) { }
}
