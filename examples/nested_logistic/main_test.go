package main

import (
	"context"
	"math"
	"testing"

	"github.com/gostan/gostan/contrib/nested"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/internal/race"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/ppl"
)

// TestSeedExample: on the seed's data, nested sampling's posterior means
// are within 0.05 of NUTS's (the seed printed 0.94, 1.95, 2.86 for the
// coefficients).
func TestSeedExample(t *testing.T) {
	if testing.Short() || race.Enabled {
		t.Skip("the seed's example takes half a minute")
	}
	x, labels := seedData()
	prog := ppl.Program(func(model.Data) ppl.Model { return logistic(x, labels) })
	ns := nested.New(prog, nested.Config{LivePoints: 200})
	if err := ns.Run(2, nil); err != nil {
		t.Fatal(err)
	}
	draws := ns.Samples(3, 4000)
	m, err := prog.NewModel(nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg := nuts.DefaultConfig()
	cfg.Seed = 5
	fit, err := nuts.Run(context.Background(), m, nuts.Options{Config: cfg, Chains: 2, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	chains := fit.Chains
	ref := append(chains[0].Draws, chains[1].Draws...)
	for j, name := range m.Names() {
		a, b := 0.0, 0.0
		for _, d := range draws {
			a += d[j] / float64(len(draws))
		}
		for _, d := range ref {
			b += d[j] / float64(len(ref))
		}
		t.Logf("%s: nested %.3f, NUTS %.3f", name, a, b)
		if math.Abs(a-b) > 0.05 {
			t.Errorf("%s: nested %.3f, NUTS %.3f", name, a, b)
		}
	}
}

// TestDataFile: examples/nested_logistic.data.json holds seedData.
func TestDataFile(t *testing.T) {
	d, err := model.ReadDataFile("../nested_logistic.data.json")
	if err != nil {
		t.Fatal(err)
	}
	x, labels := seedData()
	xs, ys := d["x"], d["y"]
	if xs == nil || ys == nil || len(xs.Elems) != len(x.Data) || len(ys.Elems) != len(labels) {
		t.Fatalf("the data file does not have seedData's sizes")
	}
	for i := range x.Rows {
		for j := range x.Cols {
			if got, want := xs.Elems[i*x.Cols+j], x.Data[i+j*x.Rows]; got != want {
				t.Fatalf("x[%d,%d] = %v, want %v", i+1, j+1, got, want)
			}
		}
		if ys.Elems[i] != labels[i] {
			t.Fatalf("y[%d] = %v, want %v", i+1, ys.Elems[i], labels[i])
		}
	}
}
