package autoguide

import (
	"math/rand/v2"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// Settings are an SVI fit of a guide as gostan runs it by default, which
// the command line and eval use too: Adam from LR decaying exponentially to
// Decay·LR by the last step, Particles draws per gradient, Tol > 0 to stop
// when the mean ELBO over 1000 steps settles, Backoffs steps that leave
// the support undone (each halving the step size), and Draws draws from
// the fitted guide. NumPyro's plain behaviour is svi.New with the Auto*
// makers and an optimizer of one's own.
type Settings struct {
	Steps, Particles, Draws int
	LR, Decay, Tol          float64
	Backoffs                int
	// Warm of the Steps go first to WarmStart before the guide is made
	// (BNAF's location moves too slowly at its step size to reach a
	// posterior far from the initial point).
	Warm int
	// Init, when not nil, is the unconstrained starting location;
	// otherwise Init draws one as Stan does.
	Init []float64
	// Precondition fits the guide on u with z = mode + L u, the
	// posterior's mode and its Laplace covariance's Cholesky factor found
	// from the starting location (whiten.go), so that the guide starts at
	// the mode and sees a posterior of unit scales. It is left off when
	// the mode or a negative definite Hessian is not found, and for Delta
	// and Laplace, a point and a Laplace approximation of their own.
	Precondition bool
}

// stepSizes are the starting step sizes that did best on PosteriorDB for
// each guide (docs/variational.md): a dense scale needs smaller steps.
// "guide" is a Stan program's own guide block.
var stepSizes = map[string]float64{"normal": 0.2, "diagonal": 0.2, "mvn": 0.03, "lowrank": 0.05, "delta": 0.4,
	"laplace": 0.4, "iaf": 0.01, "bnaf": 0.006, "guide": 0.05}

// warmSteps are the steps a guide spends first on WarmStart.
var warmSteps = map[string]int{"bnaf": 3000}

// DefaultSettings are gostan's settings for the guide name (an autoguide
// or "guide"): 20000 steps of Adam from the guide's step size decaying
// to a hundredth of it, one particle, 10000 draws, BNAF's warm start, and
// the Gaussian guides and the flows preconditioned.
func DefaultSettings(name string) Settings {
	return Settings{Steps: 20000, Particles: 1, Draws: 10000, Decay: 0.01, LR: stepSizes[name], Warm: warmSteps[name],
		Precondition: preconditioned[name]}
}

// preconditioned are the guides Precondition is on for by default: the
// Gaussians and the flows.
var preconditioned = map[string]bool{"normal": true, "diagonal": true, "mvn": true, "lowrank": true, "iaf": true, "bnaf": true}

// SVI is svi.SVI configured by s for the guide maker makes; FitModel
// with s.Steps - s.Warm steps and s.Draws draws runs it.
func (s Settings) SVI(maker svi.GuideMaker) *svi.SVI {
	q := svi.New(svi.NewAdam(s.LR), svi.TraceELBO{NumParticles: s.Particles}, maker)
	q.Schedule = svi.ExponentialDecay(s.LR, s.Decay, s.Steps-s.Warm)
	q.Tol, q.Backoffs = s.Tol, s.Backoffs
	return q
}

// Maker makes the autoguide name as s says: at s.Init or a point drawn by
// Init, moved by s.Warm steps of WarmStart.
func (s Settings) Maker(name string) svi.GuideMaker { return settingsMaker{name, s} }

type settingsMaker struct {
	name string
	set  Settings
}

func (k settingsMaker) NewGuide(m model.Model, rng *rand.Rand) (svi.Guide, error) {
	loc := append([]float64(nil), k.set.Init...)
	if k.set.Init == nil {
		var err error
		if loc, err = Init(m, rng); err != nil {
			return nil, err
		}
	}
	if k.set.Warm > 0 {
		loc = WarmStart(m, loc, rng, k.set.Warm)
	}
	if k.set.Precondition && k.name != "delta" && k.name != "laplace" {
		if mode, l, ok := precondition(m, loc); ok {
			inner, err := NewAt(k.name, make([]float64, len(loc)), rng)
			if err != nil {
				return nil, err
			}
			return newWhitened(inner, mode, l), nil
		}
	}
	return NewAt(k.name, loc, rng)
}
