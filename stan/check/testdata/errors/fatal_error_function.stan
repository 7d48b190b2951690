transformed data {
  fatal_error("no: ", /* ERROR "functions cannot be printed" */(exp));
}
