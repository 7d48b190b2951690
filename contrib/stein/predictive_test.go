package stein

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPredictiveSet: each row of the draws' Set is the draw's log density
// under N(0, I), its particle from 1 and its columns; the comments give
// the particles' weights and the configuration the kernel's name.
func TestPredictiveSet(t *testing.T) {
	m := stdNormal(2)
	cfg := DefaultConfig()
	cfg.Guide, cfg.Particles, cfg.Steps, cfg.Seed, cfg.Kernel = "normal", 3, 50, 2, &Linear{}
	res, err := Run(context.Background(), m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	pred, err := MixtureGuidePredictive(m, res, 40, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	set := pred.Set()
	if !slices.Equal(set.Columns, []string{"lp__", "particle__", "x[1]", "x[2]"}) || set.Len() != 40 || set.Seed != 2 {
		t.Fatalf("columns %v, %d draws, seed %d", set.Columns, set.Len(), set.Seed)
	}
	for i, row := range set.Chains[0] {
		z := pred.Unconstrained[i]
		if lp := -(z[0]*z[0] + z[1]*z[1]) / 2; row[0] != lp || row[1] != float64(pred.Particle[i]+1) || row[1] < 1 || row[1] > 3 || row[2] != z[0] {
			t.Fatalf("row %d: %v, want lp__ %v, particle %d, x %v", i, row, lp, pred.Particle[i]+1, z)
		}
	}
	if !slices.Contains(set.Config, "    kernel = linear") || !slices.Contains(set.Comments, "particle 3 weight = 0.3333333333333333") {
		t.Errorf("config %q, comments %q", set.Config, set.Comments)
	}
}
