// Package laplace draws from the Laplace approximation of a posterior, as
// CmdStan's laplace method does: the normal N(mode, (-H)⁻¹) on the
// unconstrained scale, H the Hessian of the log density at the mode
// computed by central differences of the gradient.
//
// Each draw carries CmdStan's two diagnostics: log_p__, the model's log
// density at the draw (Stan's constants dropped, the log Jacobian of the
// constraining transforms included when Config.Jacobian is set), and
// log_q__, the log density of the normal approximation without its
// normalizing constant, ½ (θ - mode)ᵀ H (θ - mode). Their difference is an
// importance weight up to a constant.
//
// SampleContext stops before the next draw, or the Hessian's next column,
// when its context is cancelled (Ctrl-C in gostan laplace) and returns the
// draws made, flagged Interrupted.
package laplace
