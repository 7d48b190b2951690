package svi

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/model"
)

// TraceELBO is NumPyro's Trace_ELBO: the ELBO and its gradient estimated
// from NumParticles reparameterised draws (1 when zero).
type TraceELBO struct{ NumParticles int }

// GuideMaker builds a guide for a model once its data are bound, as
// NumPyro builds an autoguide on its first use.
type GuideMaker interface {
	NewGuide(m model.Model, rng *rand.Rand) (Guide, error)
}

// Finisher is a guide with work to do after optimisation, such as the
// Laplace approximation's Hessian at the fitted mode.
type Finisher interface {
	Finish(lp func(z, grad []float64) (float64, error)) error
}

// New returns SVI with an optimizer, a loss and a guide to be made at Fit,
// as NumPyro's SVI(model, guide, optim, loss), and as strict as NumPyro:
// a draw outside the support or a NaN ends the run with an error
// (Strict). gostan's own settings (autoguide.Settings.SVI) redraw and skip
// instead.
func New(opt Optimizer, loss TraceELBO, guide GuideMaker) *SVI {
	return &SVI{Opt: opt, Particles: loss.NumParticles, Strict: true, maker: guide}
}

// FitModel makes the guide for m, takes steps optimisation steps and
// returns draws pushed through the model, as NumPyro's svi.run; the seed
// fixes every random choice, and progress (if not nil) sees each step's
// ELBO. When ctx is cancelled the optimisation stops (Interrupted) and
// the draws come from the guide fitted so far. s.Guide is the fitted guide
// afterwards.
func (s *SVI) FitModel(ctx context.Context, seed uint64, m model.Model, steps, draws int, progress func(step int, elbo float64)) (*Result, error) {
	if s.maker == nil {
		return nil, fmt.Errorf("svi: Fit needs an SVI made by New with a guide maker")
	}
	rng := rand.New(rand.NewPCG(seed, 0x5f1))
	var err error
	if s.Guide, err = s.maker.NewGuide(m, rng); err != nil {
		return nil, err
	}
	s.Model = m
	if err := s.RunContext(ctx, rng, steps, progress); err != nil {
		return nil, err
	}
	if f, ok := s.Guide.(Finisher); ok {
		if err := f.Finish(m.LogDensity); err != nil {
			return nil, err
		}
	}
	res := s.Sample(rng, draws)
	res.ELBO = s.History
	res.Params = append([]float64(nil), s.Guide.Params()...)
	res.Steps, res.Seed = steps, seed
	return res, nil
}

// Result is a fitted guide's mean and draws of the model's columns, each
// draw's densities, and the ELBO history.
type Result struct {
	Names []string
	// Mean is the model's columns at the guide's mean on the unconstrained
	// scale (see SVI.Mean), the first row of CmdStan's variational output.
	Mean  []float64
	Draws [][]float64
	// LogP and LogG are, for each draw z on the unconstrained scale, the
	// model's log density log p(z) (Jacobian included, as Model.LogDensity
	// gives it; -Inf where the model rejects z) and the guide's log q(z):
	// CmdStan's log_p__ and log_g__, for Pareto-smoothed importance
	// sampling checks of the fit.
	LogP, LogG []float64
	ELBO       []float64
	// Params are the fitted guide's variational parameters (FitModel),
	// in the guide's order (its Params).
	Params   []float64
	Messages []string // errors of draws whose outputs failed
	// Interrupted is SVI.Interrupted: the guide was fitted for len(ELBO)
	// steps only.
	Interrupted bool
	// Steps and Seed are FitModel's: the steps asked for and the seed of
	// every random choice.
	Steps int
	Seed  uint64
}

// Set is the fit as CmdStan's variational output holds it
// (draws.Variational): the mean, then each draw with log_p__ and log_g__,
// a comment when the fit was interrupted. Its configuration names the
// method and the steps only; a caller that knows the guide's settings
// (gostan variational) writes its own.
func (r *Result) Set() *draws.Set {
	set := draws.Variational(r.Names, r.Mean, r.Draws, r.LogP, r.LogG)
	set.Config = []string{"method = variational", "  variational", "    algorithm = svi", fmt.Sprintf("    steps = %d", r.Steps)}
	set.Seed = r.Seed
	if r.Interrupted {
		set.Comments = []string{fmt.Sprintf("Interrupted after %d of %d steps: the draws are the approximation's at that point, not a converged fit.", len(r.ELBO), r.Steps)}
	}
	return set
}
