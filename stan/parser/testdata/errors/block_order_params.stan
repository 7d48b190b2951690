parameters { real a; }
/* ERROR "the data block must come before the parameters block" */data { int N; }
