package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// sviSettings are the SVI options of the command line and of eval: the
// library's settings (autoguide.DefaultSettings) as flags, with LR 0
// meaning the guide's own step size, and the seed.
type sviSettings struct {
	Steps, Particles, Draws int
	LR, Decay, Tol          float64
	Backoffs                int
	Seed                    uint64
	// InitLoc, when not nil, picks the starting point (--init); GuideInit
	// holds the initial values of a guide block's parameters.
	InitLoc   autoguide.InitStrategy
	GuideInit model.Data
	// Rank, InitScale, NumFlows and HiddenDims are NumPyro's options of
	// the guide, given when not zero.
	Rank, NumFlows int
	InitScale      float64
	HiddenDims     []int
	// SeedStudy starts from NumPyro's settings as the seed study ran them
	// (autoguide.SeedStudySettings), Steps and Draws from the flags.
	SeedStudy bool
}

// defaultSVI are the library's defaults for every guide.
func defaultSVI(seed uint64) sviSettings {
	d := autoguide.DefaultSettings("")
	return sviSettings{Steps: d.Steps, Particles: d.Particles, Draws: d.Draws, Decay: d.Decay, Tol: d.Tol, Backoffs: d.Backoffs, Seed: seed}
}

// addFlags adds the SVI options shared by variational and eval to cmd;
// which says in their help what they apply to.
func (s *sviSettings) addFlags(cmd *cobra.Command, which string) {
	f := cmd.Flags()
	f.IntVar(&s.Steps, "steps", s.Steps, "SVI steps ("+which+")")
	f.Float64Var(&s.LR, "lr", s.LR, "Adam's starting step size ("+which+"; 0: the guide's default)")
	f.Float64Var(&s.Decay, "lr-decay", s.Decay, "fraction of --lr reached by the last step, exponentially; 1: constant ("+which+")")
	f.Float64Var(&s.Tol, "tol", s.Tol, "stop when the mean ELBO over 1000 steps changes relatively by less than this; 0: run every step ("+which+")")
	f.IntVar(&s.Backoffs, "backoffs", s.Backoffs, "steps after which every draw leaves the support that are undone, each halving the step size ("+which+")")
	f.IntVar(&s.Particles, "particles", s.Particles, "draws per ELBO gradient ("+which+")")
	f.IntVar(&s.Rank, "rank", 0, "the low-rank guide's rank (0: round(√D), NumPyro's rank)")
	f.Float64Var(&s.InitScale, "init-scale", 0, "the guide's initial scale (0: 0.1, NumPyro's init_scale)")
	f.IntVar(&s.NumFlows, "num-flows", 0, "the flows' number of transforms (0: 3 for iaf, 1 for bnaf, NumPyro's num_flows)")
	f.IntSliceVar(&s.HiddenDims, "hidden-dims", nil, "iaf's hidden layer widths (default D,D) or bnaf's hidden factors (default 8,8)")
}

// options are the guide options the flags give.
func (s sviSettings) options() []autoguide.Option {
	var opts []autoguide.Option
	if s.InitLoc != nil {
		opts = append(opts, autoguide.InitLoc(s.InitLoc))
	}
	if s.Rank > 0 {
		opts = append(opts, autoguide.Rank(s.Rank))
	}
	if s.InitScale > 0 {
		opts = append(opts, autoguide.InitScale(s.InitScale))
	}
	if s.NumFlows > 0 {
		opts = append(opts, autoguide.NumFlows(s.NumFlows))
	}
	if len(s.HiddenDims) > 0 {
		opts = append(opts, autoguide.HiddenDims(s.HiddenDims...))
	}
	return opts
}

// settings are the library's settings for the guide name with the flags'
// values: its step size unless --lr is given, its warm start if the steps
// leave room for it, the guide options given. With SeedStudy they are
// NumPyro's, with the flags' steps, draws and guide options only.
func (s sviSettings) settings(name string) autoguide.Settings {
	if s.SeedStudy {
		set := autoguide.SeedStudySettings(name)
		set.Steps, set.Draws = s.Steps, s.Draws
		set.Options = append(set.Options, s.options()...)
		return set
	}
	set := autoguide.DefaultSettings(name)
	set.Steps, set.Particles, set.Draws, set.Decay, set.Tol, set.Backoffs = s.Steps, s.Particles, s.Draws, s.Decay, s.Tol, s.Backoffs
	set.Options = s.options()
	if s.LR > 0 {
		set.LR = s.LR
	}
	if set.Warm >= set.Steps {
		set.Warm = 0
	}
	return set
}

// countingModel counts gradient evaluations.
type countingModel struct {
	*compile.Model
	n int
}

func (c *countingModel) LogDensity(z, g []float64) (float64, error) {
	c.n++
	return c.Model.LogDensity(z, g)
}

// LogDensityJacobian counts too: NumPyro's Delta maximises the density
// without the Jacobian (autoguide.AsNumPyro).
func (c *countingModel) LogDensityJacobian(z, g []float64, jacobian bool) (float64, error) {
	c.n++
	return c.Model.LogDensityJacobian(z, g, jacobian)
}

// guideBlock makes a Stan program's own guide, as an autoguide maker makes
// its guide, so both go through the same fit: its parameters drawn as
// Stan draws initial values, those init holds set from it.
type guideBlock struct {
	m    *compile.Model
	init model.Data
}

func (g guideBlock) NewGuide(_ model.Model, rng *rand.Rand) (svi.Guide, error) {
	q, err := g.m.NewGuide(rng)
	if err != nil || g.init == nil {
		return q, err
	}
	if err := q.SetValues(g.init); err != nil {
		return nil, fmt.Errorf("--guide-init: %w", err)
	}
	return q, nil
}

// fitAutoguide fits the named autoguide, or the program's guide block when
// name is "guide", with the library's settings and the flags' values
// (svi.FitModel), and returns its mean and draws of the model's output
// columns with their log densities, and the gradient evaluations.
// progress, when not nil, sees every step's ELBO; report, when not nil,
// receives a guide block's fitted parameters. It returns the fitted guide
// too. When ctx is cancelled the steps stop and the result is the guide's
// so far, flagged Interrupted.
func fitAutoguide(ctx context.Context, m *compile.Model, name string, flags sviSettings, progress func(step int, elbo float64), report io.Writer) (*svi.Result, svi.Guide, int, error) {
	cm := &countingModel{Model: m}
	set := flags.settings(name)
	maker := set.Maker(name)
	if name == "guide" {
		maker = guideBlock{m, flags.GuideInit}
	}
	s := set.SVI(maker)
	res, err := s.FitModel(ctx, flags.Seed, cm, set.Steps-set.Warm, set.Draws, progress)
	if err != nil {
		return nil, nil, cm.n, err
	}
	if g, ok := s.Guide.(*compile.Guide); ok {
		cm.n = len(s.History) * set.Particles // the guide evaluates the model itself
		if report != nil {
			vals, err := g.Values()
			if err != nil {
				return nil, nil, cm.n, err
			}
			fmt.Fprintln(report, "Fitted guide parameters:")
			for i, n := range g.Names() {
				fmt.Fprintf(report, "  %s = %.6g\n", n, vals[i])
			}
			fmt.Fprintln(report)
		}
	}
	if report != nil {
		for _, msg := range s.Messages {
			fmt.Fprintln(report, msg)
		}
	}
	return res, s.Guide, cm.n, nil
}
