functions {
  vector sys(vector y, real a, data real c) { return y - a * c; }
}
parameters { real a; }
model {
  target += sum(solve_powell(sys, [1]', 2, /* ERROR "argument 4 of solve_powell must be data only, as 'sys' declares its parameter c data, but it depends on parameters" */a));
}
