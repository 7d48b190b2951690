package autoguide

import (
	"math/rand/v2"
	"slices"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// Settings are an SVI fit of a guide, as the command line, eval and Go
// programs run it (DefaultSettings: gostan's; SeedStudySettings:
// NumPyro's): Adam from LR decaying exponentially to Decay·LR by the last
// step, Particles draws per gradient, Tol > 0 to stop when the mean ELBO
// over 1000 steps settles, Backoffs steps that leave the support undone
// (each halving the step size), and Draws draws from the fitted guide.
type Settings struct {
	Steps, Particles, Draws int
	LR, Decay, Tol          float64
	Backoffs                int
	// Warm of the Steps go first to WarmStart before the guide is made
	// (BNAF's location moves too slowly at its step size to reach a
	// posterior far from the initial point).
	Warm int
	// Options are NumPyro's options of the guide (InitLoc, InitScale,
	// Rank, NumFlows, HiddenDims, AsNumPyro).
	Options []Option
	// Strict ends the fit with an error at a draw outside the support or
	// a NaN, as NumPyro's SVI does (svi.SVI.Strict); otherwise a failed
	// draw is drawn again up to 10 times and a step whose draws all fail
	// is skipped.
	Strict bool
	// Precondition fits the guide on u with z = mode + L u, the
	// posterior's mode and its Laplace covariance's Cholesky factor found
	// from the starting location (whiten.go), so that the guide starts at
	// the mode and sees a posterior of unit scales. It is left off when
	// the mode or a negative definite Hessian is not found, and for Delta
	// and Laplace, a point and a Laplace approximation of their own.
	Precondition bool
	// NumPyroKeys draws the guide's noise from the JAX keys NumPyro's
	// SVI.run(PRNGKey(0)) and sample_posterior(PRNGKey(0), params,
	// (Draws,)) hand it, as the seed study ran (the NumPyroKeys option),
	// for the guides that take them.
	NumPyroKeys bool
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

// SeedStudySettings are NumPyro's settings as the seed study ran them
// (Baudart and Mandel 2021, "Automatic Guide Generation for Stan via
// NumPyro": 100000 steps of Adam(0.0005), Trace_ELBO with one particle,
// 10000 draws) and nothing of gostan's: the guide built as NumPyro builds
// it (AsNumPyro, NumPyro's default options), its random numbers drawn
// from the JAX keys of the study's PRNGKey(0) (NumPyroKeys: the initial
// location too, for the guides that take them), no warm start, no
// preconditioning, and a draw outside the support or a NaN ends the fit
// with an error (Strict), which the study counts as a runtime error.
func SeedStudySettings(name string) Settings {
	return Settings{Steps: 100000, Particles: 1, Draws: 10000, LR: 0.0005, Decay: 1, Strict: true,
		Options: []Option{AsNumPyro()}, NumPyroKeys: true}
}

// options are the guide name's options: s.Options, and NumPyroKeys when
// s asks for them and the guide takes them.
func (s Settings) options(name string) []Option {
	if s.NumPyroKeys && slices.Contains(takes[name], "numpyro_keys") {
		return append(slices.Clip(s.Options), NumPyroKeys(0, s.Draws))
	}
	return s.Options
}

// SVI is svi.SVI configured by s for the guide maker makes; FitModel
// with s.Steps - s.Warm steps and s.Draws draws runs it.
func (s Settings) SVI(maker svi.GuideMaker) *svi.SVI {
	q := svi.New(svi.NewAdam(s.LR), svi.TraceELBO{NumParticles: s.Particles}, maker)
	if s.Decay != 1 {
		q.Schedule = svi.ExponentialDecay(s.LR, s.Decay, s.Steps-s.Warm)
	}
	q.Tol, q.Backoffs, q.Strict = s.Tol, s.Backoffs, s.Strict
	if !s.Strict {
		q.MaxRetries = 10
	}
	return q
}

// Maker makes the autoguide name as s says: with s.Options at the point
// their InitLoc strategy picks (InitToUniform(2) when none), moved by
// s.Warm steps of WarmStart.
func (s Settings) Maker(name string) svi.GuideMaker { return settingsMaker{name, s} }

type settingsMaker struct {
	name string
	set  Settings
}

func (k settingsMaker) NewGuide(m model.Model, rng *rand.Rand) (svi.Guide, error) {
	o, err := resolve(k.name, k.set.options(k.name))
	if err != nil {
		return nil, err
	}
	loc, err := o.init(m, rng)
	if err != nil {
		return nil, err
	}
	if k.set.Warm > 0 {
		loc = WarmStart(m, loc, rng, k.set.Warm)
	}
	if k.set.Precondition && k.name != "delta" && k.name != "laplace" {
		if mode, l, ok := precondition(m, loc); ok {
			inner, err := build(k.name, nil, make([]float64, len(loc)), rng, o)
			if err != nil {
				return nil, err
			}
			return newWhitened(inner, mode, l), nil
		}
	}
	return build(k.name, m, loc, rng, o)
}
