package compile

import (
	"testing"
)

// normalModels are PosteriorDB posteriors whose gradients are mostly
// normal densities: vectorised (eight schools, centred and not), of a matrix-vector
// product (blr), of a fused linear predictor (kidiq, nes, earn_height)
// and normal_id_glm (diamonds).
var normalModels = []string{"sblrc-blr", "sblri-blr", "eight_schools-eight_schools_noncentered", "eight_schools-eight_schools_centered", "kidiq-kidscore_momhs", "nes1972-nes", "earnings-earn_height", "diamonds-diamonds"}

// loadPosterior builds a PosteriorDB posterior from $GOSTAN_POSTERIORDB,
// or from the repository's small copy; it skips one whose data neither has.
func loadPosterior(t testing.TB, name string) *Model {
	db, root := anyPosteriorDB(t)
	p, err := db.Posterior(name)
	if err != nil || !db.HasData(p.DataName) {
		t.Skipf("%s is not in %s", name, root)
	}
	data, err := db.Data(p.DataName)
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(t, db.ModelPath(p.ModelName), data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// BenchmarkNormalGrad is one gradient of each of normalModels, with its
// allocations, at a point of (-1, 1)^d.
func BenchmarkNormalGrad(b *testing.B) {
	for _, name := range normalModels {
		b.Run(name, func(b *testing.B) {
			m := loadPosterior(b, name)
			x, g := make([]float64, m.Dim()), make([]float64, m.Dim())
			for i := range x {
				x[i] = 0.1 * float64(i%7+1)
			}
			m.LogDensity(x, g) // warm: the first evaluation sizes the tape
			b.ReportAllocs()
			loopCPU(b, func() { m.LogDensity(x, g) })
		})
	}
}
