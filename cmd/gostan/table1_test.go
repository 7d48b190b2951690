package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/internal/race"
)

func TestWriteTable1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t1.csv")
	os.WriteFile(path, []byte("posterior,BNAFNormal,DiagonalNormal,ADVI_meanfield\na,0.5,0.1,error\nb,0.2,0.30,0.2\nc,9,0.2,0.1\n"), 0o644)
	results := []evalResult{
		{Posterior: "a", Method: "autoguide-diagonal", MaxErr: 0.2, Passed: true, Seconds: 2, Steps: 20000},
		{Posterior: "b", Method: "autoguide-diagonal", MaxErr: 0.3, Seconds: 4, Steps: 20000}, // 0.3 is a success in Table 1
		{Posterior: "c", Method: "autoguide-diagonal", MaxErr: math.Inf(1), Error: "boom"},
		{Posterior: "z", Method: "autoguide-diagonal", MaxErr: 0.1, Passed: true}, // not in Table 1
		{Posterior: "a", Method: "advi-meanfield", MaxErr: 0.5, Seconds: 1, Steps: 1000},
		{Posterior: "b", Method: "advi-meanfield", MaxErr: math.NaN(), Seconds: 1, Steps: 1000}, // NaN: a runtime error
	}
	var b strings.Builder
	if err := writeTable1(&b, results, path); err != nil {
		t.Fatal(err)
	}
	// Columns in the CSV's order, those the results have.
	for _, want := range []string{
		"|  | DiagonalNormal | ADVI_meanfield |",
		"| posteriors in both | 3 | 2 |",
		"| gostan: Average | 0.25 | 0.50 |",
		"| gostan: Success | 2 | 0 |",
		"| gostan: Mismatch | 0 | 1 |",
		"| gostan: Error | 1 | 1 |",
		"| Table 1: Average | 0.20 | 0.20 |",
		"| Table 1: Success | 3 | 1 |",
		"| Table 1: Mismatch | 0 | 0 |",
		"| Table 1: Error | 0 | 1 |",
		"| gostan - Table 1: Average | +0.05 | +0.30 |",
		"| gostan - Table 1: Success | -1 | -1 |",
		"| gostan - Table 1: Error | +1 | +0 |",
		"| gostan: s per 1000 steps (median) | 0.200 | 1.000 |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing row %q in\n%s", want, b.String())
		}
	}
}

// TestEvalSeedStudy runs the replay's eight guides, briefly, on a test
// posterior and lays them beside a Table 1 row.
func TestEvalSeedStudy(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "t1.csv")
	os.WriteFile(csv, []byte("posterior,BNAFNormal,Delta,DiagonalNormal,IAFNormal,LaplaceApproximation,LowRankMultivariateNormal,MultivariateNormal,Normal\n"+
		"eight_schools-eight_schools_noncentered,0.07,1.13,0.22,0.07,13.03,0.17,0.18,0.26\n"), 0o644)
	out := filepath.Join(dir, "seed.jsonl")
	stdout, stderr, err := runGostan("eval", "--posteriordb", "../../testdata/posteriordb", "--seed-study", "--steps", "300",
		"--draws", "500", "--posterior", "eight_schools-eight_schools_noncentered", "--table1", csv, "--output", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var methods []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r evalResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if r.Steps != 300 {
			t.Errorf("%s: %d steps, want 300", r.Method, r.Steps)
		}
		methods = append(methods, r.Method)
	}
	if len(methods) != 8 || methods[0] != "autoguide-normal" || methods[7] != "autoguide-bnaf" {
		t.Errorf("methods %v, want the eight autoguides", methods)
	}
	for _, want := range []string{"| posteriors in both | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 |", "| Table 1: Success | 1 | 0 | 1 | 1 | 0 | 1 | 1 | 1 |"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("missing %q in\n%s", want, stdout)
		}
	}
	// NumPyro's settings are fixed: only the steps, the draws and the
	// guide options may change.
	if _, _, err := runGostan("eval", "--posteriordb", "../../testdata/posteriordb", "--seed-study", "--lr", "0.01"); err == nil || !strings.Contains(err.Error(), "--lr does not apply") {
		t.Errorf("--seed-study --lr: error %v", err)
	}
	// One of the eight may be run again alone; nothing else.
	one := filepath.Join(dir, "one.jsonl")
	if _, stderr, err := runGostan("eval", "--posteriordb", "../../testdata/posteriordb", "--seed-study", "--method", "autoguide-lowrank",
		"--steps", "100", "--draws", "100", "--posterior", "eight_schools-eight_schools_noncentered", "--output", one); err != nil {
		t.Fatalf("--seed-study --method autoguide-lowrank: %v\n%s", err, stderr)
	}
	if b, err := os.ReadFile(one); err != nil || strings.Count(string(b), "\n") != 1 || !strings.Contains(string(b), `"autoguide-lowrank"`) {
		t.Errorf("--seed-study --method autoguide-lowrank wrote %q, %v", b, err)
	}
	if _, _, err := runGostan("eval", "--posteriordb", "../../testdata/posteriordb", "--seed-study", "--method", "nuts"); err == nil || !strings.Contains(err.Error(), "must be autoguide-NAME") {
		t.Errorf("--seed-study --method nuts: error %v", err)
	}
}

// TestSeedReplayIsTable1 runs the replay at its full 100000 steps on
// the two test posteriors Table 1 also has, and wants Table 1's errors, to
// its two decimals, from the six guides whose random numbers the replay
// draws from the study's JAX keys: the same initial point, the same noise
// in each step and in the draws, hence the same fit. Table 1 (Baudart and
// Mandel 2021): kidscore_momhs is not converged at all (its errors are
// where the fits stopped), and eight_schools_noncentered declares its
// parameters out of NumPyro's sorted order.
func TestSeedReplayIsTable1(t *testing.T) {
	if testing.Short() || race.Enabled {
		t.Skip("100000 steps per guide and posterior")
	}
	replayIsTable1(t, "../../testdata/posteriordb", map[string][6]float64{
		"kidiq-kidscore_momhs":                    {15.83, 15.84, 16.02, 15.96, 16.61, 15.66},
		"eight_schools-eight_schools_noncentered": {0.26, 0.22, 0.18, 0.17, 1.13, 13.03},
	})
}

// TestSeedReplayIsTable1OnNES does the same on the eight nes posteriors
// of $GOSTAN_POSTERIORDB, where Table 1's LowRankMultivariateNormal
// fails narrowly (0.31 to 0.38) and every other guide's seed would pass.
func TestSeedReplayIsTable1OnNES(t *testing.T) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	if root == "" {
		t.Skip("GOSTAN_POSTERIORDB is not set: the nes posteriors' reference draws are not in testdata")
	}
	if testing.Short() || race.Enabled {
		t.Skip("100000 steps per guide and posterior")
	}
	replayIsTable1(t, root, map[string][6]float64{
		"nes1972-nes": {0.15, 0.05, 0.05, 0.38, 0.21, 0.18},
		"nes1976-nes": {0.13, 0.05, 0.06, 0.35, 0.24, 0.21},
		"nes1980-nes": {0.13, 0.03, 0.03, 0.31, 0.29, 0.25},
		"nes1984-nes": {0.14, 0.04, 0.04, 0.36, 0.23, 0.20},
		"nes1988-nes": {0.11, 0.06, 0.06, 0.33, 0.27, 0.24},
		"nes1992-nes": {0.13, 0.05, 0.05, 0.35, 0.23, 0.21},
		"nes1996-nes": {0.14, 0.04, 0.05, 0.34, 0.25, 0.21},
		"nes2000-nes": {0.12, 0.04, 0.03, 0.25, 0.37, 0.32},
	})
}

// replayIsTable1 runs the replay's six keyed guides on the posteriors of
// root and wants each error to be Table 1's cell, given in the order
// Normal, DiagonalNormal, MultivariateNormal, LowRankMultivariateNormal,
// Delta, LaplaceApproximation.
func replayIsTable1(t *testing.T, root string, table1 map[string][6]float64) {
	var names []string
	for name := range table1 {
		names = append(names, name)
	}
	dir := t.TempDir()
	for g, guide := range []string{"normal", "diagonal", "mvn", "lowrank", "delta", "laplace"} {
		out := filepath.Join(dir, guide+".jsonl")
		if _, stderr, err := runGostan("eval", "--posteriordb", root, "--seed-study", "--method", "autoguide-"+guide,
			"--posterior", strings.Join(names, ","), "--output", out); err != nil {
			t.Fatalf("%s: %v\n%s", guide, err, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var r evalResult
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatal(err)
			}
			// Two decimals, and float32 against float64 on the slowest fits.
			if want := table1[r.Posterior][g]; !(math.Abs(r.MaxErr-want) <= 0.005+0.002*want) {
				t.Errorf("%s on %s: error %.4f, Table 1 %.2f (%s)", guide, r.Posterior, r.MaxErr, want, r.Error)
			}
		}
	}
}
