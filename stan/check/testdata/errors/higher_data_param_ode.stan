functions {
  vector rhs(data real t, vector y) { return -y; }
}
data { array[2] real ts; }
parameters { vector[2] y0; }
model {
  array[2] vector[2] z = ode_rk45(/* ERROR "the function 'rhs' passed to ode_rk45 must not declare its parameter t data" */rhs, y0, 0, ts);
}
