package nuts

import (
	"context"
	"math"
	"slices"
	"testing"
)

// TestFit: a fit's columns by name are the chains' draws and statistics,
// and its Set's,
// its diag.Run puts the sampler's columns first, and its summary's mean
// and R-hat are those of a standard normal.
func TestFit(t *testing.T) {
	opts := Options{Config: DefaultConfig(), Chains: 3, Threads: 2}
	opts.Seed, opts.Samples = 7, 400
	fit, err := Run(context.Background(), newGaussian([][]float64{{1, 0}, {0, 1}}), opts)
	if err != nil {
		t.Fatal(err)
	}
	x2, lp := fit.Draws(fit.Names[1]), fit.Draws("lp__")
	if len(x2) != 3 || len(x2[2]) != 400 || fit.Draws("nope") != nil {
		t.Fatalf("draws by name: %d chains, %d draws", len(x2), len(x2[2]))
	}
	for c, ch := range fit.Chains {
		for i := range ch.Draws {
			if x2[c][i] != ch.Draws[i][1] || lp[c][i] != ch.Stats[i].LP {
				t.Fatalf("chain %d draw %d: %v, %v", c, i, x2[c][i], lp[c][i])
			}
		}
	}
	set := fit.Set()
	for _, name := range []string{fit.Names[0], "treedepth__", "lp__"} {
		a, b := set.Draws(name), fit.Draws(name)
		for c := range a {
			if !slices.Equal(a[c], b[c]) {
				t.Fatalf("%s, chain %d: the Set's draws differ from the fit's", name, c)
			}
		}
	}
	if set.Seed != 7 || set.Len() != 1200 {
		t.Errorf("set: seed %d, %d draws", set.Seed, set.Len())
	}
	run := fit.Run("g")
	if !slices.Equal(run.Columns[:len(StatNames)], StatNames) || len(run.Columns) != len(StatNames)+len(fit.Names) || len(run.Chains) != 3 {
		t.Fatalf("run columns %v, %d chains", run.Columns, len(run.Chains))
	}
	rep := fit.Summary()
	for _, s := range rep.Params {
		if math.Abs(s.Mean) > 0.2 || math.Abs(s.SD-1) > 0.15 || s.Rhat > 1.02 {
			t.Errorf("%s: mean %.3f, sd %.3f, R-hat %.3f", s.Name, s.Mean, s.SD, s.Rhat)
		}
	}
}
