data {
  int N;
/* ERROR "expected \"}\", found end of file" */