model {
  if /* ERROR "expected \"(\", found identifier \"x\"" */x { }
}
