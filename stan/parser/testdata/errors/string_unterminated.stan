model {
  print(/* ERROR "string literal not terminated" */"abc);
}
