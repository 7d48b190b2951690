package svi

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/model"
)

// Guide is a variational family on a model's unconstrained space.
type Guide interface {
	// Params are the variational parameters, updated in place.
	Params() []float64
	// ELBOGrad adds to grad one reparameterised draw's gradient of
	// log p(z) - log q(z) with respect to the parameters and returns that
	// draw's value; lp evaluates the model (log density and gradient).
	ELBOGrad(rng *rand.Rand, lp func(z, g []float64) (float64, error), grad []float64) (float64, error)
	// Sample draws z from the guide into z.
	Sample(rng *rand.Rand, z []float64)
}

// Optimizer updates parameters from a gradient of the objective to
// maximise; Rate and SetLR read and change its step size, for schedules
// and backoffs.
type Optimizer interface {
	Step(params, grad []float64)
	Rate() float64
	SetLR(lr float64)
}

// Adam is Kingma and Ba's optimizer with NumPyro's defaults
// (b1 0.9, b2 0.999, eps 1e-8); Clip > 0 clips each gradient element, as
// ClippedAdam does.
type Adam struct {
	LR, B1, B2, Eps, Clip float64
	m, v                  []float64
	t                     int
}

// NewAdam returns Adam with step size lr.
func NewAdam(lr float64) *Adam { return &Adam{LR: lr, B1: 0.9, B2: 0.999, Eps: 1e-8} }

// SetLR sets the step size.
func (a *Adam) SetLR(lr float64) { a.LR = lr }

// Rate is the step size.
func (a *Adam) Rate() float64 { return a.LR }

// Step ascends along grad.
func (a *Adam) Step(p, g []float64) {
	if a.m == nil {
		a.m, a.v = make([]float64, len(p)), make([]float64, len(p))
	}
	a.t++
	c1 := 1 - math.Pow(a.B1, float64(a.t))
	c2 := 1 - math.Pow(a.B2, float64(a.t))
	for i, gi := range g {
		if a.Clip > 0 {
			gi = math.Max(-a.Clip, math.Min(a.Clip, gi))
		}
		a.m[i] = a.B1*a.m[i] + (1-a.B1)*gi
		a.v[i] = a.B2*a.v[i] + (1-a.B2)*gi*gi
		p[i] += a.LR * (a.m[i] / c1) / (math.Sqrt(a.v[i]/c2) + a.Eps)
	}
}

// SGD is plain stochastic gradient ascent.
type SGD struct{ LR float64 }

// Step ascends along grad.
func (s *SGD) Step(p, g []float64) {
	for i, gi := range g {
		p[i] += s.LR * gi
	}
}

// SetLR sets the step size.
func (s *SGD) SetLR(lr float64) { s.LR = lr }

// Rate is the step size.
func (s *SGD) Rate() float64 { return s.LR }

// ExponentialDecay is the schedule lr·final^(step/steps): from lr at the
// first step to final·lr at the last.
func ExponentialDecay(lr, final float64, steps int) func(step int) float64 {
	return func(step int) float64 { return lr * math.Pow(final, float64(step)/float64(steps)) }
}

// SVI fits a guide to a model.
type SVI struct {
	Model     model.Model
	Guide     Guide
	Opt       Optimizer
	Particles int // draws per ELBO gradient (num_particles)
	// MaxRetries bounds the redraws after a draw outside the support; a
	// step whose draws all fail is skipped.
	MaxRetries int
	// Strict makes a draw outside the support, or a step whose ELBO or
	// gradient is not finite, end the run with an error, as a NaN loss
	// ends a NumPyro run (its parameters turn NaN): no redraws, no skipped
	// steps.
	Strict bool
	// Schedule, when not nil, gives the step size of each step (1-based).
	Schedule func(step int) float64
	// Backoffs is how many times a step after which every draw falls
	// outside the support is undone and the step size halved from then
	// on (0: such steps are only skipped).
	Backoffs int
	// Tol > 0 stops early when the mean ELBO of the last Window steps
	// (1000 when 0) changes relatively by less than Tol from the window
	// before; Converged then reports it.
	Tol       float64
	Window    int
	Converged bool
	// Interrupted is set when RunContext's context was cancelled: the
	// guide holds the parameters after len(History) steps.
	Interrupted bool
	History     []float64 // ELBO estimates, one per step
	Messages    []string  // from Draws: errors of draws whose outputs failed

	maker GuideMaker // set by New; Fit makes Guide with it
}

// Run is RunContext without cancellation.
func (s *SVI) Run(rng *rand.Rand, steps int, progress func(step int, elbo float64)) error {
	return s.RunContext(context.Background(), rng, steps, progress)
}

// RunContext takes steps optimisation steps from rng's stream; when ctx is
// cancelled it stops before the next step and sets Interrupted, keeping
// the guide fitted so far.
func (s *SVI) RunContext(ctx context.Context, rng *rand.Rand, steps int, progress func(step int, elbo float64)) error {
	if s.Particles < 1 {
		s.Particles = 1
	}
	grad := make([]float64, len(s.Guide.Params()))
	lp := func(z, out []float64) (float64, error) {
		v, err := s.Model.LogDensity(z, out)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			err = fmt.Errorf("log density is %v", v)
		}
		return v, err
	}
	failedSteps := 0
	var lastErr error // the last failed draw's, for the message
	base := s.Opt.Rate()
	scale := 1.0 // halved by each backoff
	prev := make([]float64, len(grad))
	canUndo := false
	backoffs := s.Backoffs
	for step := 1; step <= steps; step++ {
		if ctx.Err() != nil {
			s.Interrupted = true
			return nil
		}
		clear(grad)
		elbo, n := 0.0, 0
		for range s.Particles {
			for try := 0; ; try++ {
				e, err := s.Guide.ELBOGrad(rng, lp, grad)
				if err == nil {
					elbo += e
					n++
					break
				}
				if s.Strict {
					return fmt.Errorf("svi: step %d: %w", step, err)
				}
				lastErr = err
				if try >= s.MaxRetries {
					break
				}
			}
		}
		if n == 0 {
			if canUndo && backoffs > 0 {
				// The last step left the support: take it back and go on
				// with smaller steps.
				copy(s.Guide.Params(), prev)
				backoffs--
				scale /= 2
				canUndo = false
				continue
			}
			failedSteps++
			if failedSteps > steps/10+10 {
				return fmt.Errorf("svi: draws from the guide fall outside the model's support at %d steps; the last: %w", failedSteps, lastErr)
			}
			continue
		}
		for i := range grad {
			grad[i] /= float64(n)
		}
		if s.Strict {
			if err := finite(elbo, grad); err != nil {
				return fmt.Errorf("svi: step %d: %w", step, err)
			}
		}
		switch {
		case s.Schedule != nil:
			s.Opt.SetLR(s.Schedule(step) * scale)
		case scale != 1:
			s.Opt.SetLR(base * scale)
		}
		copy(prev, s.Guide.Params())
		canUndo = true
		s.Opt.Step(s.Guide.Params(), grad)
		elbo /= float64(n)
		s.History = append(s.History, elbo)
		if progress != nil {
			progress(step, elbo)
		}
		if s.Tol > 0 && s.settled() {
			s.Converged = true
			break
		}
	}
	return nil
}

// finite says which of a step's ELBO and gradient is not finite.
func finite(elbo float64, grad []float64) error {
	if math.IsNaN(elbo) || math.IsInf(elbo, 0) {
		return fmt.Errorf("the ELBO is %v", elbo)
	}
	for i, g := range grad {
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return fmt.Errorf("the gradient's element %d is %v", i, g)
		}
	}
	return nil
}

// settled applies the stopping rule at the end of each window: the
// relative change of the window's mean ELBO from the previous window's.
func (s *SVI) settled() bool {
	w := s.Window
	if w <= 0 {
		w = 1000
	}
	h := s.History
	if len(h) < 2*w || len(h)%w != 0 {
		return false
	}
	mean := func(xs []float64) float64 {
		m := 0.0
		for _, x := range xs {
			m += x
		}
		return m / float64(len(xs))
	}
	cur, prev := mean(h[len(h)-w:]), mean(h[len(h)-2*w:len(h)-w])
	return math.Abs(cur-prev) <= s.Tol*math.Abs(prev)
}
