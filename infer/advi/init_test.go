package advi

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// halfline is normal(1, 1) on x ≥ 0: below -1 the model rejects the point
// with an error, between -1 and 0 its log density is -Inf without one and
// Explain says why, as a compiled model's does. It records the points at
// which its gradient was asked for.
type halfline struct{ grads [][]float64 }

func (h *halfline) Dim() int { return 1 }
func (h *halfline) LogDensity(x, grad []float64) (float64, error) {
	if grad != nil {
		h.grads = append(h.grads, slices.Clone(x))
	}
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
func (h *halfline) Explain(x []float64) error {
	if x[0] >= -1 && x[0] < 0 {
		return errors.New("x is in (-1, 0), where the density is 0")
	}
	return nil
}
func (h *halfline) Names() []string                                      { return []string{"x"} }
func (h *halfline) Write(x []float64, _ *rand.Rand, out []float64) error { copy(out, x); return nil }
func (h *halfline) Clone() model.Model                                   { return h }

// TestInitialize: ADVI starts through model.Initialize. Random tries come
// from ADVI's own stream, as before, those outside the support are
// reported with the model's reasons, and the start is the first try in
// it; a given point outside the support is an error saying why; radius 0
// starts at the origin.
func TestInitialize(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Adapt, cfg.Eta, cfg.Iter, cfg.OutputSamples, cfg.Seed = false, 0.1, 3, 5, 11
	h := &halfline{}
	res, err := Run(h, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The tries are the first draws of ADVI's stream.
	rng := rand.New(rand.NewPCG(cfg.Seed, 1))
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
	for i, x := range tries {
		if h.grads[i][0] != x {
			t.Fatalf("try %d at %v, want %v", i, h.grads[i][0], x)
		}
	}
	msg := strings.Join(res.Messages, "\n")
	n := len(tries) - 1
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

	cfg.Init = []float64{-0.5}
	if _, err := Run(&halfline{}, cfg, nil); err == nil || err.Error() != "rejecting the initial value: x is in (-1, 0), where the density is 0" {
		t.Errorf("a given point outside the support: error %v", err)
	}
	cfg.Init = []float64{-3}
	if _, err := Run(&halfline{}, cfg, nil); err == nil || !strings.Contains(err.Error(), "x is below -1") {
		t.Errorf("a given point the model rejects: error %v", err)
	}

	cfg.Init, cfg.InitRadius = nil, 0
	h = &halfline{}
	if res, err = Run(h, cfg, nil); err != nil {
		t.Fatal(err)
	}
	if h.grads[0][0] != 0 || strings.Contains(strings.Join(res.Messages, "\n"), "initial") {
		t.Errorf("radius 0: first point %v, messages %q; want the origin, none", h.grads[0], res.Messages)
	}
}
