// Package optimize finds the mode of a log density on the unconstrained
// space, as Stan's optimize method does: L-BFGS (the default), BFGS or
// Newton's method.
//
// The quasi-Newton methods follow Nocedal and Wright, Numerical
// Optimization (2nd ed., 2006): a line search for the strong Wolfe
// conditions (Algorithms 3.5 and 3.6, with cubic interpolation in the zoom,
// eq. 3.59), the BFGS update of the inverse Hessian (eq. 6.17, scaled at
// the start by eq. 6.20) and the L-BFGS two-loop recursion (Algorithm 7.4).
// A point where the density cannot be evaluated (an error, or a value or
// gradient that is not finite) is an infinitely bad point: the line search
// backs off towards the last good step.
//
// Convergence is tested after every iteration with Stan's tolerances and in
// Stan's order: the absolute change of the log density (TolObj), the
// gradient's norm (TolGrad), the parameters' change (TolParam), the
// iteration limit, the relative change of the log density (TolRelObj times
// the machine epsilon, relative to max(|lp|, |lp_prev|, 1)) and the
// relative gradient magnitude gᵀHg / max(|lp|, 1) with H the current
// inverse Hessian approximation (TolRelGrad times the machine epsilon).
//
// Newton's method evaluates the Hessian by central finite differences of
// the gradient, reflects its eigenvalues so that the step ascends, and
// halves the step until the density improves; it stops when the log
// density changes by less than 1e-8 or at the iteration limit.
//
// MaximizeContext stops before the next iteration when its context is
// cancelled (Ctrl-C in gostan optimize) and returns the best point so far,
// flagged Interrupted.
package optimize
