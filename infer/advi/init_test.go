package advi

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/internal/inittest"
)

// TestInitialize: ADVI starts through model.Initialize. Random tries come
// from ADVI's own stream, as before, those outside the support are
// reported with the model's reasons, and the start is the first try in
// it; a given point outside the support is an error saying why; radius 0
// starts at the origin.
func TestInitialize(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Adapt, cfg.Eta, cfg.Iter, cfg.OutputSamples, cfg.Seed = false, 0.1, 3, 5, 11
	h := &inittest.Halfline{}
	res, err := Run(h, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The tries are the first draws of ADVI's stream.
	tries := inittest.Tries(t, rand.New(rand.NewPCG(cfg.Seed, 1)), cfg.InitRadius)
	if !slices.Equal(h.At[:len(tries)], tries) {
		t.Fatalf("tries at %v, want %v", h.At[:len(tries)], tries)
	}
	inittest.CheckRejected(t, res.Messages, tries)

	cfg.Init = []float64{-0.5}
	if _, err := Run(&inittest.Halfline{}, cfg, nil); err == nil || err.Error() != "rejecting the initial value: "+inittest.GapMsg {
		t.Errorf("a given point outside the support: error %v", err)
	}
	cfg.Init = []float64{-3}
	if _, err := Run(&inittest.Halfline{}, cfg, nil); err == nil || !strings.Contains(err.Error(), inittest.BelowMsg) {
		t.Errorf("a given point the model rejects: error %v", err)
	}

	cfg.Init, cfg.InitRadius = nil, 0
	h = &inittest.Halfline{}
	if res, err = Run(h, cfg, nil); err != nil {
		t.Fatal(err)
	}
	if h.At[0] != 0 || strings.Contains(strings.Join(res.Messages, "\n"), "initial") {
		t.Errorf("radius 0: first point %v, messages %q; want the origin, none", h.At[0], res.Messages)
	}
}
