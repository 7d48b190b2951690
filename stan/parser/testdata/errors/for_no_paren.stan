model {
  for /* ERROR "expected \"(\", found identifier \"i\"" */i in 1:10 { }
}
