// Higher-order functions, Functions Reference "Higher-Order Functions":
// the function passed is resolved among its overloads by the cost of the
// promotions of the arguments passed through, as for any call (int to
// real costs one, int to complex two, and a tuple's members' promotions
// add up); reduce_sum slices an int array for a partial sum taking
// reals; map_rect, integrate_1d, dae and ode_adjoint_tol_ctl with the
// values they are known to give.
functions {
  vector sq(vector y, real a) { return [y[1] ^ 2 - a]'; }
  vector sq(vector y, complex a) { return [y[1] ^ 2 - 4 * get_real(a)]'; }
  vector tp(vector y, tuple(real, real) t, int k) { return [y[1] - 1]'; }
  vector tp(vector y, tuple(int, int) t, real k) { return [y[1] - 2]'; }
  real total(array[] real x, int s, int e, real w) { return w * sum(x); }
  real part_lpmf(array[] int n, int s, int e, real lambda) { return poisson_lpmf(n | lambda); }
  vector job(vector phi, vector th, data array[] real xr, data array[] int xi) {
    return [phi[1] + th[1] * xr[1] + xi[1]]';
  }
  real decay(real x, real xc, array[] real th, array[] real xr, array[] int xi) { return exp(-th[1] * x); }
  vector resid(real t, vector y, vector yp, real k) { return yp + k * y; }
  vector rhs(real t, vector y, real k) { return -k * y; }
}
data {
  array[3] int n;
}
transformed data {
  array[2, 1] real xr = {{10.0}, {20.0}};
  array[2, 1] int xi = {{1}, {2}};
  array[0] real xr0;
  array[0] int xi0;
}
parameters {
  real<lower=0.5, upper=3> k;
}
model {
  target += reduce_sum(part_lupmf, n, 1, k);
  target += 0.1 * reduce_sum(total, n, 2, k);
  vector[2] m = map_rect(job, [k]', {[1]', [2]'}, xr, xi);
  target += -0.01 * sum(m);
  target += log(integrate_1d(decay, 0, 1, {k}, xr0, xi0));
  array[1] vector[1] d = dae(resid, [1]', [-k]', 0, {1.0}, k);
  target += normal_lpdf(d[1][1] | 0.2, 0.5);
  array[1] vector[1] z = ode_adjoint_tol_ctl(rhs, [1]', 0, {1.0}, 1e-8, [1e-8]', 1e-8, [1e-8]', 1e-8, 1e-8,
                                             10000, 150, 1, 2, 2, k);
  target += normal_lpdf(z[1][1] | 0.2, 0.5);
}
generated quantities {
  real root = solve_newton(sq, [1]', 4)[1];              // 2: sq(vector, real) is the closer overload
  real root_c = solve_newton(sq, [1]', to_complex(4))[1]; // 4
  real pick = solve_newton(tp, [0]', (1, 1), 1)[1];       // 2: a tuple's promotions add up (two against one)
  real sum_n = reduce_sum(total, {1, 2, 3}, 1, 1.0);      // 6
  vector[2] jobs = map_rect(job, [0.5]', {[1]', [2]'}, xr, xi); // 11.5, 42.5
  real area = integrate_1d(decay, 0, 1, {1.0}, xr0, xi0);      // 1 - e⁻¹
  real dae_y = dae_tol(resid, [1]', [-2]', 0, {1.0}, 1e-12, 1e-12, 100000, 2.0)[1][1]; // e⁻²
  real adj_y = ode_adjoint_tol_ctl(rhs, [1]', 0, {1.0}, 1e-10, [1e-10]', 1e-10, [1e-10]', 1e-10, 1e-10,
                                   100000, 150, 1, 2, 2, 2.0)[1][1]; // e⁻²
}
