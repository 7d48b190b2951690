package svi_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// shifted is the log density of independent N(i+1, 1) coordinates, Stan's
// constants dropped, with z written as is.
type shifted struct{ d int }

func (s shifted) Dim() int { return s.d }
func (s shifted) LogDensity(z, g []float64) (float64, error) {
	lp := 0.0
	for i, v := range z {
		lp -= 0.5 * (v - float64(i+1)) * (v - float64(i+1))
		if g != nil {
			g[i] = -(v - float64(i+1))
		}
	}
	return lp, nil
}
func (s shifted) Names() []string                                      { return []string{"a", "b"}[:s.d] }
func (s shifted) Write(z []float64, _ *rand.Rand, out []float64) error { copy(out, z); return nil }
func (s shifted) Clone() model.Model                                   { return s }

// plainGuide hides a guide's Mean and SampleLogQ, as a program's guide
// block has neither.
type plainGuide struct{ svi.Guide }

// TestSampleDensities fits a diagonal normal guide and checks Sample's
// mean row and each draw's log p and log q against their formulas, for
// the guide itself and for the same guide seen only through svi.Guide
// (log q from ELBOGrad at a replayed draw, the mean from MeanDraws draws).
func TestSampleDensities(t *testing.T) {
	m := shifted{2}
	q := autoguide.NewDiagonalNormal([]float64{0, 0})
	s := &svi.SVI{Model: m, Guide: q, Opt: svi.NewAdam(0.05), Particles: 1, MaxRetries: 10}
	rng := rand.New(rand.NewPCG(1, 2))
	if err := s.Run(rng, 2000, nil); err != nil {
		t.Fatal(err)
	}
	p := q.Params()
	loc := p[:2]
	scale := []float64{math.Log1p(math.Exp(p[2])), math.Log1p(math.Exp(p[3]))}
	logQ := func(z []float64) float64 {
		v := -math.Log(2 * math.Pi)
		for i := range 2 {
			u := (z[i] - loc[i]) / scale[i]
			v -= 0.5*u*u + math.Log(scale[i])
		}
		return v
	}
	for name, g := range map[string]svi.Guide{"diagonal": q, "plain": plainGuide{q}} {
		s.Guide = g
		res := s.Sample(rng, 200)
		for i := range 2 {
			tol := 0.0 // a Meaner's mean is exact
			if name == "plain" {
				tol = 4 * scale[i] / math.Sqrt(svi.MeanDraws)
			}
			if math.Abs(res.Mean[i]-loc[i]) > tol {
				t.Errorf("%s: mean row %v, want loc %v", name, res.Mean, loc)
			}
		}
		if len(res.LogP) != 200 || len(res.LogG) != 200 {
			t.Fatalf("%s: %d log p, %d log q for 200 draws", name, len(res.LogP), len(res.LogG))
		}
		for k, z := range res.Draws {
			wantP, _ := m.LogDensity(z, nil)
			if res.LogP[k] != wantP || math.Abs(res.LogG[k]-logQ(z)) > 1e-9 {
				t.Fatalf("%s: draw %v: log p %v, log q %v; want %v, %v", name, z, res.LogP[k], res.LogG[k], wantP, logQ(z))
			}
		}
	}
}
