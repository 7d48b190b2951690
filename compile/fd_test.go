package compile

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/gostan/gostan/internal/race"
)

// TestFiniteDifferences compiles every PosteriorDB model with data (of the
// tree named by $GOSTAN_POSTERIORDB, or the fixtures), evaluates it at a
// random point without error or panic, checks that the evaluation
// allocates nothing, and compares its gradient with central finite
// differences.
func TestFiniteDifferences(t *testing.T) {
	db, _ := anyPosteriorDB(t)
	names, _ := db.Posteriors()
	seen := map[string]bool{}
	rng := rand.New(rand.NewPCG(7, 7))
	odeRng := rand.New(rand.NewPCG(8, 8))
	checked := 0
	for _, name := range names {
		p, err := db.Posterior(name)
		if err != nil || !db.HasData(p.DataName) || seen[p.ModelName] {
			continue
		}
		seen[p.ModelName] = true
		src, _ := os.ReadFile(db.ModelPath(p.ModelName))
		// A model that solves ODEs draws its point from a stream of its
		// own, so that adding these models left the other models' points
		// as they were.
		ode := strings.Contains(string(src), "integrate_ode")
		r := rng
		if ode {
			r = odeRng
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
		// A point where the density is finite: try 20 in (-1, 1), then up
		// to 100 in (-2, 2) as Stan's initialisation does (in sir, the
		// infected population dies out at every point of the first kind,
		// and the solver's error takes it below its bound of 0, in Stan
		// too).
		x := make([]float64, m.Dim())
		grad := make([]float64, m.Dim())
		var lp float64
		ok := false
		for k := range 120 {
			w := 1.0
			if k >= 20 {
				w = 2
			}
			for i := range x {
				x[i] = w * (r.Float64()*2 - 1)
			}
			if lp, err = m.LogDensity(x, grad); err == nil && !math.IsInf(lp, 0) {
				ok = true
				break
			}
		}
		if !ok {
			t.Errorf("%s: no finite log density at 120 random points: %v", name, err)
			continue
		}
		checked++
		// A steady-state evaluation allocates nothing.
		if n := testing.AllocsPerRun(3, func() { m.LogDensity(x, grad) }); n != 0 && !race.Enabled {
			t.Errorf("%s: a gradient evaluation allocates %v times", name, n)
		}
		if ode {
			// The difference quotients of an adaptive solver's solution are
			// off by about as much as the solution is (lotka_volterra's
			// absolute tolerance is 1e-3), so an ODE model is checked with
			// its solvers' tolerances tightened to 1e-10. At the model's
			// own tolerances, its gradient is what Stan's is (TestGolden).
			tight, err := build(t, writeStan(t, tightenODE(string(src))), data)
			if err != nil {
				t.Fatalf("%s with tightened tolerances: %v", name, err)
			}
			if lp, err = tight.LogDensity(x, grad); err != nil {
				t.Errorf("%s with tightened tolerances: %v", name, err)
				continue
			}
			m = tight
		}
		m.LogDensity(x, grad)
		// Check a few coordinates: the largest models have thousands.
		for _, i := range sampleIndices(r, m.Dim(), 8) {
			fd, h, err := centralDiff(m, x, i)
			if err != nil {
				continue
			}
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

// centralDiff returns the central difference quotient of m's log density in
// coordinate i at x, with step h = 1e-5 max(1, |x_i|), and h.
func centralDiff(m *Model, x []float64, i int) (fd, h float64, err error) {
	h = 1e-5 * math.Max(1, math.Abs(x[i]))
	fd, err = centralDiffStep(m, x, i, h)
	return fd, h, err
}

// centralDiffStep is the central difference quotient of m's log density
// in coordinate i at x with step h.
func centralDiffStep(m *Model, x []float64, i int, h float64) (float64, error) {
	xp := append([]float64(nil), x...)
	xm := append([]float64(nil), x...)
	xp[i] += h
	xm[i] -= h
	fp, e1 := m.LogDensity(xp, nil)
	fm, e2 := m.LogDensity(xm, nil)
	if e1 != nil || e2 != nil {
		return 0, errors.Join(e1, e2)
	}
	return (fp - fm) / (2 * h), nil
}

// checkModelGrad compares m's gradient at x with central differences in
// every coordinate, to rel relative (at least 1 absolute scale); what
// names the case in the messages. It returns the log density.
func checkModelGrad(t *testing.T, what string, m *Model, x []float64, rel float64) float64 {
	t.Helper()
	g := make([]float64, len(x))
	lp, err := m.LogDensity(x, g)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for i := range x {
		fd, _, err := centralDiff(m, x, i)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if math.Abs(fd-g[i]) > rel*math.Max(1, math.Abs(fd)) {
			t.Errorf("%s: d lp / d x[%d] = %.10g, finite difference %.10g", what, i, g[i], fd)
		}
	}
	return lp
}
