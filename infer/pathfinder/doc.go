// Package pathfinder is Pathfinder variational inference (Zhang, Carpenter,
// Gelman and Vehtari 2022, "Pathfinder: Parallel quasi-Newton variational
// inference", JMLR 23) as CmdStan 2.33+ runs it.
//
// A single path runs L-BFGS (infer/optimize) from a random initial point.
// At every iterate it forms a Gaussian approximation whose covariance is
// the L-BFGS inverse Hessian built from the last HistorySize (s, y) pairs
// that pass the curvature check (sᵀy > 0 and yᵀy/sᵀy ≤ 1e12) and a
// diagonal α updated by the paper's rule with every accepted pair, and
// whose mean is the quasi-Newton step from the iterate. It estimates each
// approximation's ELBO with NumELBODraws draws (a draw outside the support
// makes it -Inf), keeps the approximation with the largest and draws
// NumDraws from it, its ELBO draws included.
//
// Multi-path Pathfinder runs NumPaths single paths in parallel goroutines,
// each with its own clone of the model and its own random stream, pools
// their draws and resamples NumPSISDraws of them with replacement by
// Pareto-smoothed importance weights lp - lp_approx.
//
// Where gostan departs from Stan: a pair failing the curvature check is
// left out of the history, as in the paper (Stan 2.33 keeps it in the
// history and skips only α's update), and the low-rank factor is
// diag(√α)(I + Q(L̃ - I)Qᵀ) with L̃ the lower Cholesky factor of
// I + R̄MR̄ᵀ, so that the draws' covariance is exactly the inverse Hessian
// approximation (Stan multiplies by the upper factor L̃ᵀ, which keeps the
// determinant but not, in general, the covariance).
package pathfinder
