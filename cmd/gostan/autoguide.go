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
)

// sviSettings are the SVI options of the command line and of eval.
type sviSettings struct {
	Steps, Particles, Draws int
	LR                      float64
	// Decay is the fraction of LR the step size decays to, exponentially,
	// by the last step; 1 keeps it constant, as the seed study did.
	Decay float64
	// Tol > 0 stops when the mean ELBO over 1000 steps changes relatively
	// by less than Tol.
	Tol  float64
	Seed uint64
	// Init, when not nil, is the unconstrained starting point.
	Init []float64
	// Backoffs is how many steps that leave the support are undone, each
	// halving the step size.
	Backoffs int
}

// defaultSVI are gostan's defaults: 20000 steps of Adam from the guide's
// step size (guideLR) decaying exponentially to a hundredth of it, one
// particle, 10000 draws. LR 0 means the guide's default.
func defaultSVI(seed uint64) sviSettings {
	return sviSettings{Steps: 20000, Particles: 1, Draws: 10000, Decay: 0.01, Seed: seed}
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
}

// guideLR are the starting step sizes that did best on PosteriorDB for each
// guide (docs/variational.md): a dense scale needs smaller steps. "guide"
// is a program's own guide block.
var guideLR = map[string]float64{"normal": 0.2, "diagonal": 0.2, "mvn": 0.03, "lowrank": 0.05, "delta": 0.4, "laplace": 0.4,
	"iaf": 0.01, "bnaf": 0.006, "guide": 0.05}

// warmSteps are the steps, out of the SVI budget, that a guide spends
// first on WarmStart: BNAF's location moves too slowly at its step size
// to reach posteriors far from the initial point (docs/variational.md).
var warmSteps = map[string]int{"bnaf": 3000}

// countingModel counts gradient evaluations.
type countingModel struct {
	*compile.Model
	n int
}

func (c *countingModel) LogDensity(z, g []float64) (float64, error) {
	c.n++
	return c.Model.LogDensity(z, g)
}

// resolved returns s with the defaults that depend on the guide filled in:
// the learning rate (guideLR) and the warm start's share of the steps
// (warmSteps), as fitAutoguide uses them.
func (s sviSettings) resolved(name string) (set sviSettings, warm int) {
	if s.LR == 0 {
		s.LR = guideLR[name]
	}
	if w := warmSteps[name]; w > 0 && w < s.Steps {
		warm = w
	}
	return s, warm
}

// fitAutoguide fits the named autoguide, or the program's guide block when
// name is "guide", and returns its mean and draws of the model's output
// columns with their log densities, and the gradient evaluations.
// progress, when not nil, sees every step's ELBO; report, when not nil,
// receives a guide block's fitted parameters. When ctx is cancelled the
// steps stop and the result is the guide's so far, flagged Interrupted.
func fitAutoguide(ctx context.Context, m *compile.Model, name string, set sviSettings, progress func(step int, elbo float64), report io.Writer) (*svi.Result, int, error) {
	rng := rand.New(rand.NewPCG(set.Seed, 0x5f1))
	cm := &countingModel{Model: m}
	var q svi.Guide
	var err error
	set, warm := set.resolved(name)
	steps := set.Steps - warm
	if name == "guide" {
		q, err = m.NewGuide(rng)
	} else {
		loc := append([]float64(nil), set.Init...)
		if set.Init == nil {
			if loc, err = autoguide.Init(cm, rng); err != nil {
				return nil, cm.n, err
			}
		}
		if warm > 0 {
			loc = autoguide.WarmStart(cm, loc, rng, warm)
		}
		q, err = autoguide.NewAt(name, loc, rng)
	}
	if err != nil {
		return nil, cm.n, err
	}
	s := &svi.SVI{Model: cm, Guide: q, Opt: svi.NewAdam(set.LR), Particles: set.Particles, MaxRetries: 10,
		Schedule: svi.ExponentialDecay(set.LR, set.Decay, steps), Tol: set.Tol, Backoffs: set.Backoffs}
	if err := s.RunContext(ctx, rng, steps, progress); err != nil {
		return nil, cm.n, err
	}
	if g, ok := q.(*compile.Guide); ok {
		cm.n = len(s.History) * set.Particles // the guide evaluates the model itself
		if report != nil {
			vals, err := g.Values()
			if err != nil {
				return nil, cm.n, err
			}
			fmt.Fprintln(report, "Fitted guide parameters:")
			for i, n := range g.Names() {
				fmt.Fprintf(report, "  %s = %.6g\n", n, vals[i])
			}
			fmt.Fprintln(report)
		}
	}
	if f, ok := q.(svi.Finisher); ok {
		if err := f.Finish(cm.LogDensity); err != nil {
			return nil, cm.n, err
		}
	}
	res := s.Sample(rng, set.Draws)
	res.ELBO = s.History
	if report != nil {
		for _, msg := range s.Messages {
			fmt.Fprintln(report, msg)
		}
	}
	return res, cm.n, nil
}
