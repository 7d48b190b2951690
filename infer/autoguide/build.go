package autoguide

import (
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// Names are the autoguides New builds, as the command line spells them.
var Names = []string{"normal", "diagonal", "mvn", "lowrank", "delta", "laplace", "iaf", "bnaf"}

// New builds the named autoguide for m at Init's starting point.
func New(name string, m model.Model, rng *rand.Rand) (svi.Guide, error) {
	loc, err := Init(m, rng)
	if err != nil {
		return nil, err
	}
	return NewAt(name, loc, rng)
}

// Init returns a starting point where the log density is finite: uniform
// in (-2, 2) on the unconstrained scale, as Stan initialises, with up to
// 100 tries.
func Init(m model.Model, rng *rand.Rand) ([]float64, error) {
	loc := make([]float64, m.Dim())
	for range 100 {
		for i := range loc {
			loc[i] = 4*rng.Float64() - 2
		}
		if _, err := m.LogDensity(loc, nil); err == nil {
			return loc, nil
		}
	}
	return nil, fmt.Errorf("initialization between (-2, 2) failed after 100 attempts")
}

// NewAt builds the named autoguide centred at loc.
func NewAt(name string, loc []float64, rng *rand.Rand) (svi.Guide, error) {
	switch name {
	case "normal", "diagonal":
		return NewDiagonalNormal(loc), nil
	case "mvn":
		return NewMultivariateNormal(loc), nil
	case "lowrank":
		return NewLowRankMultivariateNormal(loc, 0), nil
	case "delta":
		return NewDelta(loc), nil
	case "laplace":
		return NewLaplace(loc), nil
	case "iaf":
		return NewIAFNormal(loc, rng), nil
	case "bnaf":
		return NewBNAFNormal(loc, rng), nil
	}
	return nil, fmt.Errorf("unknown autoguide %q: use one of %v", name, Names)
}

// WarmStart moves loc towards a mode of m: steps of Adam on the log
// density (SVI with a Delta guide), the step size decaying from 0.1 to
// 0.001. A flow whose location parameters move slowly under small steps
// then starts where the posterior is; on failure loc is returned as is.
func WarmStart(m model.Model, loc []float64, rng *rand.Rand, steps int) []float64 {
	q := NewDelta(loc)
	s := &svi.SVI{Model: m, Guide: q, Opt: svi.NewAdam(0.1), Particles: 1, Schedule: svi.ExponentialDecay(0.1, 0.01, steps)}
	if err := s.Run(rng, steps, nil); err != nil {
		return loc
	}
	return q.Params()
}
