package compile

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/posteriordb"
)

// TestFiniteDifferences compiles every PosteriorDB model with data (of the
// tree named by $GOSTAN_POSTERIORDB, or the fixtures), evaluates it at a
// random point without error or panic, checks that the evaluation
// allocates nothing, and compares its gradient with central finite
// differences.
func TestFiniteDifferences(t *testing.T) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	if root == "" {
		root = filepath.Join("..", "testdata", "posteriordb")
	}
	db, err := posteriordb.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := db.Posteriors()
	seen := map[string]bool{}
	rng := rand.New(rand.NewPCG(7, 7))
	checked := 0
	for _, name := range names {
		p, err := db.Posterior(name)
		if err != nil || !db.HasData(p.DataName) || seen[p.ModelName] {
			continue
		}
		seen[p.ModelName] = true
		src, _ := os.ReadFile(db.ModelPath(p.ModelName))
		if strings.Contains(string(src), "integrate_ode") || strings.Contains(string(src), "ode_") {
			continue
		}
		data, err := db.Data(p.DataName)
		if err != nil {
			t.Fatal(err)
		}
		m, err := build(t, db.ModelPath(p.ModelName), data)
		if err != nil {
			t.Errorf("%s: %v", name, firstLine(err))
			continue
		}
		// A point where the density is finite: try a few, as Stan's
		// initialisation does.
		x := make([]float64, m.Dim())
		grad := make([]float64, m.Dim())
		var lp float64
		ok := false
		for range 20 {
			for i := range x {
				x[i] = rng.Float64()*2 - 1
			}
			if lp, err = m.LogDensity(x, grad); err == nil && !math.IsInf(lp, 0) {
				ok = true
				break
			}
		}
		if !ok {
			t.Errorf("%s: no finite log density at 20 random points: %v", name, err)
			continue
		}
		checked++
		// A steady-state evaluation allocates nothing.
		if n := testing.AllocsPerRun(3, func() { m.LogDensity(x, grad) }); n != 0 {
			t.Errorf("%s: a gradient evaluation allocates %v times", name, n)
		}
		m.LogDensity(x, grad)
		// Check a few coordinates: the largest models have thousands.
		for _, i := range sampleIndices(rng, m.Dim(), 8) {
			h := 1e-5 * math.Max(1, math.Abs(x[i]))
			xp := append([]float64(nil), x...)
			xm := append([]float64(nil), x...)
			xp[i] += h
			xm[i] -= h
			fp, e1 := m.LogDensity(xp, nil)
			fm, e2 := m.LogDensity(xm, nil)
			if e1 != nil || e2 != nil {
				continue
			}
			fd := (fp - fm) / (2 * h)
			// Rounding in lp limits the difference quotient's accuracy.
			noise := 10 * math.Abs(lp) * 1e-16 / h
			if math.Abs(fd-grad[i]) > 1e-4*math.Max(1, math.Abs(fd))+noise {
				t.Errorf("%s: d lp / d theta[%d] = %v, finite difference %v", name, i, grad[i], fd)
				break
			}
		}
	}
	t.Logf("%d models checked against finite differences", checked)
}

func sampleIndices(rng *rand.Rand, n, k int) []int {
	if n <= k {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	return rng.Perm(n)[:k]
}
