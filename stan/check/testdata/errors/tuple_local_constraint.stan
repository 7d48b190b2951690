model {
  tuple(/* ERROR "local variables cannot have constraints: declare t.1 as real" */real<lower=0>, real) t;
}
