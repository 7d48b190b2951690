functions {
  vector job(vector phi, vector theta, data array[] real x_r, data array[] int x_i) { return phi; }
}
data { array[2, 0] int xi; }
parameters { vector[1] phi; array[2] vector[1] theta; array[2, 1] real xr; }
model {
  target += sum(map_rect(job, phi, theta, /* ERROR "Ill-typed arguments supplied to function 'map_rect': the fourth argument must be data-only" */xr, xi));
}
