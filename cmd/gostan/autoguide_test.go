package main

import (
	"context"
	"slices"
	"testing"

	"github.com/gostan/gostan/infer/autoguide"
)

// TestAutoguideSameAsLibrary: the command line's fit is the library's
// with the same settings, to the bit, BNAF's warm start included.
func TestAutoguideSameAsLibrary(t *testing.T) {
	m, err := loadModel(nil, eightSchools, eightSchoolsData, 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, steps := range map[string]int{"diagonal": 300, "bnaf": 3200} {
		set := autoguide.DefaultSettings(name)
		set.Steps, set.Draws = steps, 50
		lib, err := set.SVI(set.Maker(name)).FitModel(context.Background(), 7, m, set.Steps-set.Warm, set.Draws, nil)
		if err != nil {
			t.Fatal(err)
		}
		flags := defaultSVI(7)
		flags.Steps, flags.Draws = steps, 50
		cli, _, err := fitAutoguide(context.Background(), m, name, flags, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(lib.ELBO) != steps-set.Warm || len(cli.ELBO) != len(lib.ELBO) {
			t.Fatalf("%s: %d and %d steps, want %d", name, len(lib.ELBO), len(cli.ELBO), steps-set.Warm)
		}
		if name == "diagonal" {
			// The fitted parameters: locations then scales; the locations
			// are the mean that the first CSV row writes.
			if len(lib.Params) != 2*m.Dim() {
				t.Fatalf("%d parameters, want %d", len(lib.Params), 2*m.Dim())
			}
			row := make([]float64, len(m.Names()))
			if err := m.Write(lib.Params[:m.Dim()], nil, row); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(row[:m.Dim()], lib.Mean[:m.Dim()]) {
				t.Errorf("the locations give %v, the mean row is %v", row[:m.Dim()], lib.Mean[:m.Dim()])
			}
		}
		for i := range lib.Draws {
			if !slices.Equal(lib.Draws[i], cli.Draws[i]) {
				t.Fatalf("%s: draw %d differs: library %v, command line %v", name, i, lib.Draws[i], cli.Draws[i])
			}
		}
	}
}
