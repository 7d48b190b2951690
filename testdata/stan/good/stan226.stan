// Stan 2.26's library in its syntax, where gostan had lacked it
// (stan/check's TestStanc3_226Signatures): if_else, integrate_ode (the
// first name of integrate_ode_rk45), cov_exp_quad of row vectors,
// algebra_solver with a real maximum number of steps, _cdf called with
// commas, and .^ of arrays (which is pow, as in Stan).
functions {
  real[] sho(real t, real[] y, real[] theta, real[] x_r, int[] x_i) {
    real dydt[2];
    dydt[1] = y[2];
    dydt[2] = -y[1] - theta[1] * y[2];
    return dydt;
  }
  vector shift(vector y, vector theta, real[] x_r, int[] x_i) {
    return y - theta;
  }
}
transformed data {
  real ts[2];
  real x_r[0];
  int x_i[0];
  row_vector[2] pts[2];
  vector[2] guess;
  ts[1] = 1;
  ts[2] = 2;
  pts[1] = [0, 0];
  pts[2] = [1, 2];
  guess = [1, 1]';
}
parameters {
  real a;
}
model {
  vector[2] s;
  s = algebra_solver(shift, guess, [a, 2 * a]', x_r, x_i, 1e-10, 1e-10, 1e3);
  a ~ normal(0, 1);
  target += if_else(1, -square(a), a) + if_else(0, a, 0.5 * a);
  target += -0.1 * sum(cov_exp_quad(pts, exp(a), 1.5));
  target += -dot_self(s) + log(normal_cdf(a, 0, 1)) + normal_cdf_log(a, 0, 1);
}
generated quantities {
  // Known values: if_else picks its second argument when the first is
  // nonzero; the undamped oscillator from (1, 0) is cos(t), to the
  // solver's tolerance; cov_exp_quad is α² exp(-|x - x'|² / (2ρ²)), here
  // 4 exp(-5 / 4.5); the solution of y = θ is θ; Φ(1) and log Φ(-1);
  // 2^3 and 3^2.
  int ie_int;
  real ie_real;
  int osc_ok;
  real k12;
  real solved;
  real cdf1;
  real lcdf;
  real ep[2];
  {
    real y0[2];
    real th[1];
    real sol[2, 2];
    y0[1] = 1;
    y0[2] = 0;
    th[1] = 0;
    sol = integrate_ode(sho, y0, 0, ts, th, x_r, x_i);
    osc_ok = fabs(sol[2, 1] - cos(2)) < 1e-5;
  }
  ie_int = if_else(1, 3, 4);
  ie_real = if_else(0, 1.5, 2.5);
  k12 = cov_exp_quad(pts, 2.0, 1.5)[1, 2];
  solved = algebra_solver(shift, guess, [3, 4]', x_r, x_i, 1e-10, 1e-10, 1e3)[2];
  cdf1 = normal_cdf(1.0, 0, 1);
  lcdf = normal_cdf_log(-1, 0, 1);
  ep = {2, 3} .^ {3, 2};
}
