// The algebraic solvers with their controls (solve_newton_tol,
// solve_powell_tol: the scaling step or relative tolerance, the function
// tolerance and the step limit, all data).
functions {
  vector sq(vector y, real a) { return [y[1] ^ 2 - a]'; }
}
parameters {
  real<lower=0.5, upper=4> a;
}
model {
  vector[1] r = solve_powell_tol(sq, [1]', 1e-10, 1e-12, 200, a);
  target += normal_lpdf(r[1] | 1.5, 0.5);
}
generated quantities {
  real rn = solve_newton_tol(sq, [1]', 1e-3, 1e-12, 200, 2.0)[1]; // √2
  real rp = solve_powell_tol(sq, [3]', 1e-10, 1e-12, 200, 9.0)[1]; // 3
}
