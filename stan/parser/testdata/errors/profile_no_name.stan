model {
  profile(/* ERROR "expected a string naming the profile, found identifier \"p\"" */p) { }
}
