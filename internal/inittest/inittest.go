// Package inittest holds what the tests of the algorithms' starts share:
// a model whose support is a half-line, rejected in two ways outside it,
// and the check that a start reported those rejections with their reasons.
package inittest

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

// Halfline is normal(1, 1) on x ≥ 0: below -1 it rejects the point with an
// error (BelowMsg), between -1 and 0 its log density is -Inf without one
// and Explain says why (GapMsg), as a compiled model's does. At records
// every point at which it was evaluated.
type Halfline struct{ At []float64 }

// The reasons Halfline gives for the two ways a point is outside it.
const (
	BelowMsg = "x is below -1"
	GapMsg   = "x is in (-1, 0), where the density is 0"
)

// Dim is 1.
func (h *Halfline) Dim() int { return 1 }

// LogDensity is the model's log density and gradient at x.
func (h *Halfline) LogDensity(x, grad []float64) (float64, error) {
	h.At = append(h.At, x[0])
	switch {
	case x[0] < -1:
		return 0, errors.New(BelowMsg)
	case x[0] < 0:
		return math.Inf(-1), nil
	}
	if grad != nil {
		grad[0] = 1 - x[0]
	}
	return -(x[0] - 1) * (x[0] - 1) / 2, nil
}

// Explain says why the density is not finite at x.
func (h *Halfline) Explain(x []float64) error {
	if x[0] >= -1 && x[0] < 0 {
		return errors.New(GapMsg)
	}
	return nil
}

// Names is x.
func (h *Halfline) Names() []string { return []string{"x"} }

// Write copies x: the parameter is not transformed.
func (h *Halfline) Write(x []float64, _ *rand.Rand, out []float64) error {
	copy(out, x)
	return nil
}

// Clone is h itself: tests run one chain.
func (h *Halfline) Clone() model.Model { return h }

// Tries are the points Stan's initialize draws from rng in (-radius,
// radius) until one is in the support; the test fails unless they include
// both ways of being rejected, so that the seed exercises both.
func Tries(t testing.TB, rng *rand.Rand, radius float64) []float64 {
	t.Helper()
	var tries []float64
	for {
		x := radius * (2*rng.Float64() - 1)
		tries = append(tries, x)
		if x >= 0 {
			break
		}
	}
	below := slices.ContainsFunc(tries, func(x float64) bool { return x < -1 })
	gap := slices.ContainsFunc(tries, func(x float64) bool { return x >= -1 && x < 0 })
	if !below || !gap {
		t.Fatalf("tries %v do not fail in both ways: pick another seed", tries)
	}
	return tries
}

// CheckRejected fails t unless messages report every try before the last
// as rejected, each with its reason, as model.Failures.Report words it.
func CheckRejected(t testing.TB, messages []string, tries []float64) {
	t.Helper()
	msg := strings.Join(messages, "\n")
	n := len(tries) - 1
	head := "1 initial value rejected: "
	if n > 1 {
		head = fmt.Sprintf("%d initial values rejected", n)
	}
	if !strings.HasPrefix(msg, head) {
		t.Errorf("messages %q, want them to start %q", msg, head)
	}
	for _, x := range tries[:n] {
		want := BelowMsg
		if x >= -1 {
			want = GapMsg
		}
		if !strings.Contains(msg, want) {
			t.Errorf("messages %q do not say %q (a try at %v)", msg, want, x)
		}
	}
}
