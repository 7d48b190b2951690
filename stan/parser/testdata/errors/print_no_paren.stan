model {
  print /* ERROR "expected \"(\", found string literal \"x\"" */"x";
}
