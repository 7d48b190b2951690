package model_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// quartic has log density -Σ xᵢ⁴/4 + Σ xᵢ, gradient -xᵢ³ + 1, or, with
// skew, a gradient off by skew in the last coordinate; it rejects points
// with x₀ < lower.
type quartic struct {
	d     int
	skew  float64
	lower float64
}

func (q quartic) Dim() int { return q.d }
func (q quartic) LogDensity(x, g []float64) (float64, error) {
	if x[0] < q.lower {
		return 0, errors.New("x[1] is below its bound")
	}
	lp := 0.0
	for i, v := range x {
		lp += -v*v*v*v/4 + v
		if g != nil {
			g[i] = -v*v*v + 1
		}
	}
	if g != nil {
		g[q.d-1] += q.skew
	}
	return lp, nil
}
func (q quartic) Names() []string                                      { return nil }
func (q quartic) Write(x []float64, _ *rand.Rand, out []float64) error { return nil }
func (q quartic) Clone() model.Model                                   { return q }

// TestCheckGradient: the finite differences of a quartic are its gradient
// to O(ε²); a gradient off by 1e-3 in one coordinate fails there alone,
// as does a NaN one.
func TestCheckGradient(t *testing.T) {
	x := []float64{0.5, -1.25, 2}
	c, err := model.CheckGradient(quartic{d: 3}, x, 1e-6, 1e-6)
	if err != nil {
		t.Fatal(err)
	}
	if c.Failed != 0 || c.LogP != -(0.0625+2.44140625+16)/4+1.25 {
		t.Fatalf("%+v", c)
	}
	for k, v := range x {
		if want := -v*v*v + 1; c.Model[k] != want || math.Abs(c.FiniteDiff[k]-want) > 1e-7 {
			t.Errorf("coordinate %d: model %v, finite diff %v, want %v", k, c.Model[k], c.FiniteDiff[k], want)
		}
	}
	bad, err := model.CheckGradient(quartic{d: 3, skew: 1e-3}, x, 1e-6, 1e-6)
	if err != nil || bad.Failed != 1 || math.Abs(bad.Model[2]-bad.FiniteDiff[2]-1e-3) > 1e-7 {
		t.Fatalf("skewed gradient: %+v, %v", bad, err)
	}
	if nan, err := model.CheckGradient(quartic{d: 3, skew: math.NaN()}, x, 1e-6, 1e-6); err != nil || nan.Failed != 1 {
		t.Fatalf("a NaN gradient: %+v, %v", nan, err)
	}
	lines := bad.Lines()
	if lines[1] != " Log probability=-3.37598" || lines[3] != " param idx           value           model     finite diff           error" ||
		lines[6] != "         2               2          -6.999              -7           0.001" {
		t.Errorf("lines %q", lines)
	}
	if _, err := model.CheckGradient(quartic{d: 1, lower: 0}, []float64{0}, 1e-6, 1e-6); err == nil {
		t.Error("no error when a finite difference leaves the support")
	}
}

// TestInitialize: a given point is tried once; radius 0 tries zero; random
// tries skip rejected points and say why they were rejected.
func TestInitialize(t *testing.T) {
	x, g := make([]float64, 2), make([]float64, 2)
	lp, rej, err := model.Initialize(quartic{d: 2, lower: 1.5}, nil, 2, rand.New(rand.NewPCG(1, 2)), x, g)
	if err != nil || x[0] < 1.5 || x[0] >= 2 || math.Abs(x[1]) >= 2 || g[1] != -x[1]*x[1]*x[1]+1 {
		t.Fatalf("x %v g %v lp %v: %v", x, g, lp, err)
	}
	if rej.Count == 0 || rej.First[0] != "x[1] is below its bound" {
		t.Errorf("rejected %+v: one try in eight has x[1] above 1.5", rej)
	}
	if _, _, err := model.Initialize(quartic{d: 2, lower: 0.5}, []float64{0, 0}, 2, nil, x, g); err == nil || !strings.Contains(err.Error(), "below its bound") {
		t.Errorf("a given point outside the support: %v", err)
	}
	if _, _, err := model.Initialize(quartic{d: 2, lower: 0.5}, nil, 0, nil, x, g); err == nil {
		t.Error("radius 0 tries zero, outside the support")
	}
	_, rej, err = model.Initialize(quartic{d: 2, lower: 3}, nil, 2, rand.New(rand.NewPCG(1, 2)), x, g)
	if err == nil || rej.Count != model.InitTries || !strings.HasPrefix(err.Error(), "initialization between (-2, 2) failed after 100 attempts") {
		t.Errorf("unreachable support: %d rejected, %v", rej.Count, err)
	}
}
