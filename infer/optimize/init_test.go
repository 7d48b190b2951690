package optimize

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/internal/inittest"
)

// explain is the half-line model's Explain, given to the optimizer.
var explain = (&inittest.Halfline{}).Explain

// TestInitialize: the optimizer starts through model.InitializeDensity.
// Random tries come from its own stream, as before, and those outside the
// support are reported with their reasons; the start is the first try
// inside. A given point outside the support is an error saying why; radius
// 0 starts at the origin.
func TestInitialize(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Seed, cfg.Explain = 1, explain
	h := &inittest.Halfline{}
	var start []float64
	res, err := Maximize(h.LogDensity, 1, cfg, func(it Iteration) {
		if it.Iter == 0 {
			start = slices.Clone(it.X)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	tries := inittest.Tries(t, rand.New(rand.NewPCG(cfg.Seed, 0x0971)), cfg.InitRadius)
	if !slices.Equal(h.At[:len(tries)], tries) || start[0] != tries[len(tries)-1] {
		t.Fatalf("tries %v, start %v; want %v", h.At[:len(tries)], start, tries)
	}
	if math.Abs(res.X[0]-1) > 1e-6 || res.InitLogP != -(start[0]-1)*(start[0]-1)/2 {
		t.Errorf("mode %v, initial log density %v", res.X, res.InitLogP)
	}
	inittest.CheckRejected(t, res.Messages, tries)
	// Without explain, a density that is -Inf without an error is still
	// reported, in general words.
	cfg.Explain = nil
	if res, err = Maximize((&inittest.Halfline{}).LogDensity, 1, cfg, nil); err != nil || !strings.Contains(strings.Join(res.Messages, "\n"), "the log density or its gradient is not finite") {
		t.Errorf("without explain: messages %q, error %v", res.Messages, err)
	}

	cfg.Explain = explain
	cfg.Init = []float64{-0.5}
	if _, err := Maximize((&inittest.Halfline{}).LogDensity, 1, cfg, nil); err == nil || err.Error() != "rejecting the initial value: "+inittest.GapMsg {
		t.Errorf("a given point outside the support: error %v", err)
	}
	cfg.Init = []float64{1, 2}
	if _, err := Maximize((&inittest.Halfline{}).LogDensity, 1, cfg, nil); err == nil || !strings.Contains(err.Error(), "initial point has 2 values, but the model has 1") {
		t.Errorf("a given point of the wrong length: error %v", err)
	}

	cfg.Init, cfg.InitRadius = nil, 0
	h = &inittest.Halfline{}
	if res, err = Maximize(h.LogDensity, 1, cfg, nil); err != nil {
		t.Fatal(err)
	}
	if h.At[0] != 0 || len(res.Messages) != 0 || res.InitLogP != -0.5 {
		t.Errorf("radius 0: first point %v, messages %q, initial log density %v; want the origin, none, -0.5", h.At[0], res.Messages, res.InitLogP)
	}
}
