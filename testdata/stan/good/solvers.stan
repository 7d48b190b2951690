// The algebraic solvers with their controls (solve_newton_tol,
// solve_powell_tol: the scaling step or relative tolerance, the function
// tolerance and the step limit, all data), and the variadic solvers'
// arguments passed in tuples and complex numbers, whose reals carry their
// derivatives.
functions {
  vector sq(vector y, real a) { return [y[1] ^ 2 - a]'; }
  vector sqt(vector y, tuple(real, int) p) { return [y[1] ^ 2 - p.1 * p.2]'; }
  vector dec(real t, vector y, tuple(real, complex) p) { return -p.1 * get_real(p.2) * y; }
}
parameters {
  real<lower=0.5, upper=4> a;
}
model {
  vector[1] r = solve_powell_tol(sq, [1]', 1e-10, 1e-12, 200, a);
  target += normal_lpdf(r[1] | 1.5, 0.5);
  vector[1] r2 = solve_newton(sqt, [1]', (a, 1));
  target += normal_lpdf(r2[1] | 1.2, 0.5);
  array[1] vector[1] z = ode_rk45(dec, [1]', 0, {1.0}, (a, to_complex(1, 0)));
  target += normal_lpdf(z[1][1] | 0.3, 0.2);
}
generated quantities {
  real rn = solve_newton_tol(sq, [1]', 1e-3, 1e-12, 200, 2.0)[1]; // √2
  real rp = solve_powell_tol(sq, [3]', 1e-10, 1e-12, 200, 9.0)[1]; // 3
  real od = ode_rk45_tol(dec, [1]', 0, {1.0}, 1e-12, 1e-12, 100000, (2.0, to_complex(1, 0)))[1][1]; // e⁻²
}
