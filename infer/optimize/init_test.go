package optimize

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// halfline is normal(1, 1) on x ≥ 0: below -1 it fails with an error,
// between -1 and 0 it is -Inf without one and explain says why. It records
// the points at which it was evaluated.
type halfline struct{ at []float64 }

func (h *halfline) f(x, grad []float64) (float64, error) {
	h.at = append(h.at, x[0])
	switch {
	case x[0] < -1:
		return 0, errors.New("x is below -1")
	case x[0] < 0:
		return math.Inf(-1), nil
	}
	if grad != nil {
		grad[0] = 1 - x[0]
	}
	return -(x[0] - 1) * (x[0] - 1) / 2, nil
}

func explain(x []float64) error {
	if x[0] >= -1 && x[0] < 0 {
		return errors.New("x is in (-1, 0), where the density is 0")
	}
	return nil
}

// TestInitialize: the optimizer starts through model.InitializeDensity.
// Random tries come from its own stream, as before, and those outside the
// support are reported with their reasons; the start is the first try
// inside. A given point outside the support is an error saying why; radius
// 0 starts at the origin.
func TestInitialize(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Seed, cfg.Explain = 1, explain
	h := &halfline{}
	var start []float64
	res, err := Maximize(h.f, 1, cfg, func(it Iteration) {
		if it.Iter == 0 {
			start = slices.Clone(it.X)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x0971))
	var tries []float64
	for {
		x := cfg.InitRadius * (2*rng.Float64() - 1)
		tries = append(tries, x)
		if x >= 0 {
			break
		}
	}
	if !slices.ContainsFunc(tries, func(x float64) bool { return x < -1 }) || !slices.ContainsFunc(tries, func(x float64) bool { return x >= -1 && x < 0 }) {
		t.Fatalf("seed %d: tries %v do not fail in both ways: pick another", cfg.Seed, tries)
	}
	if !slices.Equal(h.at[:len(tries)], tries) || start[0] != tries[len(tries)-1] {
		t.Fatalf("tries %v, start %v; want %v", h.at[:len(tries)], start, tries)
	}
	if math.Abs(res.X[0]-1) > 1e-6 || res.InitLogP != -(start[0]-1)*(start[0]-1)/2 {
		t.Errorf("mode %v, initial log density %v", res.X, res.InitLogP)
	}
	n := len(tries) - 1
	msg := strings.Join(res.Messages, "\n")
	head := "1 initial value rejected: "
	if n > 1 {
		head = fmt.Sprintf("%d initial values rejected", n)
	}
	if !strings.HasPrefix(msg, head) {
		t.Errorf("messages %q, want them to start %q", msg, head)
	}
	for _, x := range tries[:n] {
		want := "x is below -1"
		if x >= -1 {
			want = "x is in (-1, 0), where the density is 0"
		}
		if !strings.Contains(msg, want) {
			t.Errorf("messages %q do not say %q (a try at %v)", msg, want, x)
		}
	}
	// Without explain, a density that is -Inf without an error is still
	// reported, in general words.
	cfg.Explain = nil
	if res, err = Maximize((&halfline{}).f, 1, cfg, nil); err != nil || !strings.Contains(strings.Join(res.Messages, "\n"), "the log density or its gradient is not finite") {
		t.Errorf("without explain: messages %q, error %v", res.Messages, err)
	}

	cfg.Explain = explain
	cfg.Init = []float64{-0.5}
	if _, err := Maximize((&halfline{}).f, 1, cfg, nil); err == nil || err.Error() != "rejecting the initial value: x is in (-1, 0), where the density is 0" {
		t.Errorf("a given point outside the support: error %v", err)
	}
	cfg.Init = []float64{1, 2}
	if _, err := Maximize((&halfline{}).f, 1, cfg, nil); err == nil || !strings.Contains(err.Error(), "initial point has 2 values, but the model has 1") {
		t.Errorf("a given point of the wrong length: error %v", err)
	}

	cfg.Init, cfg.InitRadius = nil, 0
	h = &halfline{}
	if res, err = Maximize(h.f, 1, cfg, nil); err != nil {
		t.Fatal(err)
	}
	if h.at[0] != 0 || len(res.Messages) != 0 || res.InitLogP != -0.5 {
		t.Errorf("radius 0: first point %v, messages %q, initial log density %v; want the origin, none, -0.5", h.at[0], res.Messages, res.InitLogP)
	}
}
