functions {
  vector job(vector phi, vector theta, array[] real x_r, array[] real x_i) { return phi; }
}
data { array[2, 1] real xr; array[2, 0] int xi; }
parameters { vector[1] phi; array[2] vector[1] theta; }
model {
  target += sum(map_rect(/* ERROR "the function 'job' passed to map_rect must have the signature (vector, vector, array[] real, array[] int) => vector" */job, phi, theta, xr, xi));
}
