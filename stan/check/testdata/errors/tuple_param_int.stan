parameters {
  tuple(real, /* ERROR "parameters cannot be integers: declare p.2 as real" */int) p;
}
