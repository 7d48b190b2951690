functions {
  vector job(data vector phi, vector theta, data array[] real x_r, data array[] int x_i) { return phi; }
}
data { array[2, 1] real xr; array[2, 1] int xi; }
parameters { vector[1] phi; array[2] vector[1] theta; }
model {
  target += sum(map_rect(/* ERROR "the function 'job' passed to map_rect must not declare its parameter phi data" */job, phi, theta, xr, xi));
}
