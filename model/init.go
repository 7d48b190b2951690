package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// InitTries is how many random initial points Initialize draws before it
// gives up, as Stan's initialize.
const InitTries = 100

// Initialize finds a starting point on the unconstrained scale as Stan's
// services::util::initialize does: the point init when it is given (one
// try), zero when init is nil and radius is 0, and otherwise up to
// InitTries points uniform in (-radius, radius) drawn from rng, until m's
// log density and gradient are finite. It writes the point to x and the
// gradient to grad and returns the log density and the rejected tries with
// their reasons (the model's error, or an Explainer's account of a value
// that is not finite); when every try fails, the error says why the first
// ones did.
func Initialize(m Model, init []float64, radius float64, rng *rand.Rand, x, grad []float64) (float64, Failures, error) {
	var explain func([]float64) error
	if ex, ok := m.(Explainer); ok {
		explain = ex.Explain
	}
	return InitializeDensity(m.LogDensity, explain, init, radius, rng, x, grad)
}

// InitializeDensity is Initialize for an algorithm that has a log density
// rather than a Model (optimize maximises the density without the log
// Jacobian when asked to): f is the density with its gradient, as
// Model.LogDensity, and explain, when not nil, says why f is not finite
// at a point, as Explainer.Explain.
func InitializeDensity(f func(x, grad []float64) (float64, error), explain func([]float64) error, init []float64, radius float64, rng *rand.Rand, x, grad []float64) (float64, Failures, error) {
	var rejected Failures
	if init == nil && radius == 0 {
		init = make([]float64, len(x))
	}
	if init != nil {
		if len(init) != len(x) {
			return 0, rejected, fmt.Errorf("initial point has %d values, but the model has %d unconstrained parameters", len(init), len(x))
		}
		copy(x, init)
		lp, why := tryInit(f, explain, x, grad)
		if why != nil {
			return 0, rejected, fmt.Errorf("rejecting the initial value: %w", why)
		}
		return lp, rejected, nil
	}
	for range InitTries {
		for i := range x {
			x[i] = radius * (2*rng.Float64() - 1)
		}
		lp, why := tryInit(f, explain, x, grad)
		if why == nil {
			return lp, rejected, nil
		}
		rejected.Add(why)
	}
	lines := append([]string{fmt.Sprintf("initialization between (-%g, %g) failed after %d attempts. Try specifying initial values, reducing ranges of constrained values, or reparameterizing the model", radius, radius, InitTries)},
		rejected.Report("initial value rejected", "initial values rejected")...)
	return 0, rejected, fmt.Errorf("%s", strings.Join(lines, "\n"))
}

// tryInit evaluates x as an initial point and says why it is rejected, nil
// if it is not.
func tryInit(f func(x, grad []float64) (float64, error), explain func([]float64) error, x, grad []float64) (float64, error) {
	lp, err := f(x, grad)
	finite := err == nil && !math.IsNaN(lp) && !math.IsInf(lp, 0)
	for _, g := range grad {
		finite = finite && !math.IsNaN(g) && !math.IsInf(g, 0)
	}
	switch {
	case finite:
		return lp, nil
	case err != nil:
		return 0, err
	}
	if explain != nil {
		if why := explain(x); why != nil {
			return 0, why
		}
	}
	return 0, fmt.Errorf("the log density or its gradient is not finite")
}
