package compile

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/gostan/gostan/internal/race"
	"github.com/gostan/gostan/model"
)

// TestClonesInParallel evaluates clones of one model in parallel: each
// gives the original's values (run under the race detector in CI).
func TestClonesInParallel(t *testing.T) {
	data, err := model.ReadDataFile("../examples/eight_schools.data.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(t, "../examples/eight_schools.stan", data)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	points := make([][]float64, 50)
	want := make([]float64, len(points))
	for i := range points {
		points[i] = make([]float64, m.Dim())
		for j := range points[i] {
			points[i][j] = rng.NormFloat64()
		}
		if want[i], err = m.LogDensity(points[i], make([]float64, m.Dim())); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		c := m.Clone()
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := make([]float64, c.Dim())
			out := make([]float64, len(c.Names()))
			r := rand.New(rand.NewPCG(2, 2))
			for i, p := range points {
				lp, err := c.LogDensity(p, g)
				if err != nil || lp != want[i] {
					t.Errorf("clone: lp %v (%v), want %v", lp, err, want[i])
					return
				}
				if err := c.Write(p, r, out); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestSteadyStateAllocations checks that a gradient evaluation of a
// compiled model allocates nothing once its buffers have grown.
func TestSteadyStateAllocations(t *testing.T) {
	data, err := model.ReadDataFile("../examples/eight_schools.data.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(t, "../examples/eight_schools.stan", data)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, m.Dim())
	g := make([]float64, m.Dim())
	m.LogDensity(x, g)
	if n := testing.AllocsPerRun(100, func() { m.LogDensity(x, g) }); n != 0 && !race.Enabled {
		t.Errorf("a gradient evaluation allocates %v times", n)
	}
}

// TestClonePrintsTransformedDataOnce: a clone runs transformed data again
// but does not print again, so a sampler's chains leave one copy of what
// the block prints, as Stan does; prints in later blocks still reach
// Program.Print from the clone.
func TestClonePrintsTransformedDataOnce(t *testing.T) {
	p, err := Source("td.stan", []byte(`transformed data { real z = 2; print("td ", z); }
parameters { real x; }
model { print("model"); x ~ normal(z, 1); }`))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	p.Print = &out
	m, err := p.NewModel(nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := m.Clone()
	if got := out.String(); got != "td 2\n" {
		t.Errorf("after NewModel and Clone the program printed %q, want %q", got, "td 2\n")
	}
	if _, err := c.LogDensity([]float64{0.5}, nil); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "td 2\nmodel\n" {
		t.Errorf("after the clone's evaluation the program printed %q", got)
	}
}
