package main

import (
	"math"
	"testing"
)

// TestSeedModel runs the example: the programs' weights within 0.02 of
// the exact 0.537 and 0.463, and the posteriors of the mean within 0.05
// of N(0.1, 0.707²) and N(0.6, 0.707²).
func TestSeedModel(t *testing.T) {
	r, err := run()
	if err != nil {
		t.Fatal(err)
	}
	w := exactWeights()
	if math.Abs(w[0]-0.537) > 0.0005 {
		t.Fatalf("exact weight %v, the seed says 0.537", w[0])
	}
	if math.Abs(r.LogZ-exactLogZ()) > 0.01 {
		t.Errorf("log Z %.4f, exact %.4f", r.LogZ, exactLogZ())
	}
	if len(r.SLPs) != 2 {
		t.Fatalf("%d programs, want 2", len(r.SLPs))
	}
	for i, want := range []struct {
		col      string
		mean, sd float64
	}{{"a1", 0.1, math.Sqrt(0.5)}, {"a2", 0.6, math.Sqrt(0.5)}} {
		s := r.SLPs[i]
		if math.Abs(s.Weight-w[i]) > 0.02 {
			t.Errorf("program %d: weight %.4f, exact %.4f", i, s.Weight, w[i])
		}
		j := s.Col(want.col)
		if j < 0 {
			t.Fatalf("program %d has no column %s: %v", i, want.col, s.Names)
		}
		if math.Abs(s.Mean[j]-want.mean) > 0.05 || math.Abs(s.SD[j]-want.sd) > 0.05 {
			t.Errorf("program %d: %s has mean %.4f and sd %.4f, exact %.4f and %.4f", i, want.col, s.Mean[j], s.SD[j], want.mean, want.sd)
		}
	}
}
