package autoguide

import (
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/model"
)

// isoGauss is a standard normal in d dimensions, a cheap model that
// leaves the guide's own cost to measure.
type isoGauss int

func (g isoGauss) Dim() int { return int(g) }
func (g isoGauss) LogDensity(x, grad []float64) (float64, error) {
	lp := 0.0
	for i, xi := range x {
		lp -= 0.5 * xi * xi
		if grad != nil {
			grad[i] = -xi
		}
	}
	return lp, nil
}
func (g isoGauss) Names() []string                                      { return make([]string, g) }
func (g isoGauss) Write(x []float64, _ *rand.Rand, out []float64) error { copy(out, x); return nil }
func (g isoGauss) Clone() model.Model                                   { return g }

// BenchmarkELBOGrad measures one draw's ELBO gradient for each guide in
// ten dimensions: the guide's cost per SVI step with one particle.
func BenchmarkELBOGrad(b *testing.B) {
	m := isoGauss(10)
	for _, name := range Names {
		b.Run(name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			q, err := New(name, m, rng)
			if err != nil {
				b.Fatal(err)
			}
			grad := make([]float64, len(q.Params()))
			lp := m.LogDensity
			b.ReportAllocs()
			for b.Loop() {
				if _, err := q.ELBOGrad(rng, lp, grad); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
