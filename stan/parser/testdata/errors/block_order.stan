model { }
/* ERROR "the data block must come before the model block" */data { int N; }
