package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/model"
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
		cli, _, _, err := fitAutoguide(context.Background(), m, name, flags, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(lib.ELBO) != steps-set.Warm || len(cli.ELBO) != len(lib.ELBO) {
			t.Fatalf("%s: %d and %d steps, want %d", name, len(lib.ELBO), len(cli.ELBO), steps-set.Warm)
		}
		if name == "diagonal" {
			// Without preconditioning the fitted parameters are the
			// locations then the scales; the locations are the mean that
			// the first CSV row writes.
			plain := set
			plain.Precondition = false
			res, err := plain.SVI(plain.Maker(name)).FitModel(context.Background(), 7, m, plain.Steps, plain.Draws, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Params) != 2*m.Dim() {
				t.Fatalf("%d parameters, want %d", len(res.Params), 2*m.Dim())
			}
			row := make([]float64, len(m.Names()))
			if err := m.Write(res.Params[:m.Dim()], nil, row); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(row[:m.Dim()], res.Mean[:m.Dim()]) {
				t.Errorf("the locations give %v, the mean row is %v", row[:m.Dim()], res.Mean[:m.Dim()])
			}
		}
		for i := range lib.Draws {
			if !slices.Equal(lib.Draws[i], cli.Draws[i]) {
				t.Fatalf("%s: draw %d differs: library %v, command line %v", name, i, lib.Draws[i], cli.Draws[i])
			}
		}
	}
}

// TestGuideInitRoundTrip fits the coin's beta guide, which writes its
// parameters beside the draws; a second run from them with a step too small
// to move them writes them back unchanged, and a value outside a guide
// parameter's support is refused by name.
func TestGuideInitRoundTrip(t *testing.T) {
	dir := t.TempDir()
	prog, data := "../../examples/coin_guide.stan", "../../examples/coin.data.json"
	first := filepath.Join(dir, "first.csv")
	if _, stderr, err := run("variational", prog, "--data", data, "--algorithm", "guide", "--steps", "2000", "--seed", "3", "--output", first); err != nil {
		t.Fatalf("variational: %v\n%s", err, stderr)
	}
	fitted, err := model.ReadDataFile(filepath.Join(dir, "first_guide.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, b := fitted["alpha_q"].Elems[0], fitted["beta_q"].Elems[0]
	if !(a > 1 && b > 1) {
		t.Fatalf("fitted alpha_q %v, beta_q %v", a, b)
	}
	second := filepath.Join(dir, "second.csv")
	if _, stderr, err := run("variational", prog, "--data", data, "--algorithm", "guide", "--steps", "1", "--lr", "1e-12",
		"--guide-init", filepath.Join(dir, "first_guide.json"), "--seed", "4", "--output", second); err != nil {
		t.Fatalf("variational --guide-init: %v\n%s", err, stderr)
	}
	again, err := model.ReadDataFile(filepath.Join(dir, "second_guide.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := again["alpha_q"].Elems[0]; math.Abs(got-a) > 1e-9*a {
		t.Errorf("alpha_q from --guide-init: %v, want %v", got, a)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"alpha_q": -1}`), 0o644)
	_, stderr, err := run("variational", prog, "--data", data, "--algorithm", "guide", "--steps", "1", "--guide-init", bad, "--output", filepath.Join(dir, "x.csv"))
	if err == nil || !strings.Contains(stderr+err.Error(), "alpha_q") {
		t.Errorf("a negative alpha_q: error %v, stderr %q", err, stderr)
	}
}
