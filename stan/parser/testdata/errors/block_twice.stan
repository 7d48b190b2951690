data { int N; }
/* ERROR "the data block appears twice" */data { int M; }
