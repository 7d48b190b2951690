model {
  increment_log_prob(1/* ERROR "expected \")\", found \";\"" */;
}
