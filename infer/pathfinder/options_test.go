package pathfinder

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// Without CalculateLP the paths and their draws are those of a run that
// computes lp__ but does not resample (the same random numbers): each
// path's first NumELBODraws draws, its best approximation's ELBO draws,
// keep the model's lp__, the rest are NaN, nothing is resampled although
// PSISResample is set, and each path evaluates the model NumDraws -
// NumELBODraws fewer times.
func TestCalculateLPOff(t *testing.T) {
	g := newNormal(5, 0.8)
	cfg := DefaultConfig()
	cfg.NumPaths, cfg.NumDraws, cfg.Seed = 3, 60, 5
	ref := cfg
	ref.PSISResample = false
	want, err := Run(g, ref)
	if err != nil {
		t.Fatal(err)
	}
	cfg.CalculateLP = false
	res, err := Run(g, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Draws) != 3*60 || !math.IsNaN(res.ParetoK) {
		t.Fatalf("%d draws, Pareto k %v; want 180 unresampled draws, k NaN", len(res.Draws), res.ParetoK)
	}
	for i, z := range res.Unconstrained {
		if !slices.Equal(z, want.Unconstrained[i]) || res.LPApprox[i] != want.LPApprox[i] {
			t.Fatalf("draw %d: %v (lp_approx__ %v), with lp__ computed %v (%v)", i, z, res.LPApprox[i], want.Unconstrained[i], want.LPApprox[i])
		}
		lp, _ := g.LogDensity(z, nil)
		if i%60 < cfg.NumELBODraws {
			if res.LP[i] != lp {
				t.Errorf("draw %d, an ELBO draw: lp__ %v, model %v", i, res.LP[i], lp)
			}
		} else if !math.IsNaN(res.LP[i]) {
			t.Errorf("draw %d: lp__ %v, want NaN", i, res.LP[i])
		}
	}
	for i, p := range res.Paths {
		if d := want.Paths[i].Evals - p.Evals; d != 60-25 {
			t.Errorf("path %d: %d evaluations, %d with lp__ computed; want %d fewer", i+1, p.Evals, want.Paths[i].Evals, 60-25)
		}
	}
	set := res.Set()
	if !slices.Contains(set.Config, "    calculate_lp = 0") || !slices.Contains(set.Config, "    psis_resample = 1") {
		t.Errorf("config %q", set.Config)
	}
	if len(set.Footer) != 1 || !strings.HasSuffix(set.Footer[0], " seconds (Total)") || !strings.HasPrefix(set.Footer[0], "Elapsed Time: ") {
		t.Errorf("footer %q, want CmdStan's one total without PSIS", set.Footer)
	}
}
