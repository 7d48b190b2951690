package autoguide

import (
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// Names are the autoguides New builds, as the command line spells them.
var Names = []string{"normal", "diagonal", "mvn", "lowrank", "delta", "laplace", "iaf", "bnaf"}

// New builds the named autoguide for m, started at a point where the log
// density is finite: uniform in (-2, 2) on the unconstrained scale, as
// Stan initialises, with up to 100 tries.
func New(name string, m model.Model, rng *rand.Rand) (svi.Guide, error) {
	loc := make([]float64, m.Dim())
	ok := false
	for range 100 {
		for i := range loc {
			loc[i] = 4*rng.Float64() - 2
		}
		if _, err := m.LogDensity(loc, nil); err == nil {
			ok = true
			break
		}
	}
	if !ok {
		return nil, fmt.Errorf("initialization between (-2, 2) failed after 100 attempts")
	}
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
