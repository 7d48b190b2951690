package compile

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/model"
)

// The scalar-loop models of issue 15: recurrences and forward passes
// written element by element, where the closures and the tape pay per
// scalar operation. Their Stan programs and data are in testdata/speed
// (arK and hmm_drive_0 from PosteriorDB, garch11, arma11 and
// scalar_density with simulated data).
var scalarModels = []struct{ name, stan, data string }{
	{"arK", "testdata/speed/arK.stan", "testdata/speed/arK.json"},
	{"hmm_drive_0", "testdata/speed/hmm_drive_0.stan", "testdata/speed/bball_drive_event_0.json"},
	{"eight_schools_noncentered", "../testdata/posteriordb/models/stan/eight_schools_noncentered.stan", "../testdata/posteriordb/data/data/eight_schools.json.zip"},
	{"garch11", "testdata/speed/garch11.stan", "testdata/speed/garch11.json"},
	{"arma11", "testdata/speed/arma11.stan", "testdata/speed/arma11.json"},
	{"scalar_density", "testdata/speed/scalar_density.stan", "testdata/speed/scalar_density.json"},
}

// loadScalar builds one of scalarModels and a point in (-1, 1) where its
// log density is finite.
func loadScalar(t testing.TB, name, stan, data string) (*Model, []float64) {
	d, err := model.ReadDataFile(data)
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(t, stan, d)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	x, g := make([]float64, m.Dim()), make([]float64, m.Dim())
	for range 100 {
		for i := range x {
			x[i] = rng.Float64()*2 - 1
		}
		if lp, err := m.LogDensity(x, g); err == nil && !math.IsInf(lp, 0) {
			return m, x
		}
	}
	t.Fatalf("%s: no finite point", name)
	return nil, nil
}

// BenchmarkScalarGrad is one gradient of each scalar-loop model, with its
// allocations.
func BenchmarkScalarGrad(b *testing.B) {
	for _, c := range scalarModels {
		b.Run(c.name, func(b *testing.B) {
			m, x := loadScalar(b, c.name, c.stan, c.data)
			g := make([]float64, m.Dim())
			b.ReportAllocs()
			loopCPU(b, func() { m.LogDensity(x, g) })
		})
	}
}
