package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gostan/gostan/stancsv"
)

const (
	eightSchools     = "../../examples/eight_schools.stan"
	eightSchoolsData = "../../examples/eight_schools.data.json"
)

// TestSampleFixedParam samples a program without parameters: CmdStan's
// fixed_param sampler writes its generated quantities, drawn anew each
// iteration, after lp__ and accept_stat__ (both 0).
func TestSampleFixedParam(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "sim.stan")
	os.WriteFile(prog, []byte("data { int N; }\ngenerated quantities {\n  array[N] real y;\n  for (n in 1:N) y[n] = normal_rng(0, 1);\n  int k = poisson_rng(3);\n}\n"), 0o644)
	data := filepath.Join(dir, "sim.json")
	os.WriteFile(data, []byte(`{"N": 2}`), 0o644)
	out := filepath.Join(dir, "sim.csv")
	stdout, stderr, err := run("sample", prog, "--data", data, "--chains", "1", "--samples", "50", "--seed", "2", "--output", out)
	if err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "running fixed_param sampler") || !strings.Contains(stdout, "y[2]") {
		t.Errorf("stderr %q, stdout %q", stderr, stdout)
	}
	f := readCSV(t, out)
	if want := []string{"lp__", "accept_stat__", "y.1", "y.2", "k"}; !slices.Equal(f.Columns, want) {
		t.Fatalf("columns %v, want %v", f.Columns, want)
	}
	if len(f.Draws) != 50 || !slices.Contains(f.Config, "    algorithm = fixed_param") {
		t.Fatalf("%d draws, config %q", len(f.Draws), f.Config)
	}
	distinct := map[float64]bool{}
	for _, d := range f.Draws {
		if d[0] != 0 || d[1] != 0 {
			t.Fatalf("lp__ and accept_stat__ are %v, %v, want 0", d[0], d[1])
		}
		distinct[d[2]] = true
	}
	if len(distinct) < 45 {
		t.Errorf("y[1] takes %d distinct values in 50 draws", len(distinct))
	}
}

// TestSampleInitPerChain runs --algorithm fixed_param, where the
// parameters keep their initial values, with init.json and init_2.json:
// chain 1 reads init.json (there is no init_1.json), chain 2 init_2.json.
func TestSampleInitPerChain(t *testing.T) {
	dir := t.TempDir()
	init := filepath.Join(dir, "init.json")
	os.WriteFile(init, []byte(`{"mu": 1, "tau": 2}`), 0o644)
	os.WriteFile(filepath.Join(dir, "init_2.json"), []byte(`{"mu": -3, "tau": 0.5}`), 0o644)
	_, stderr, err := run("sample", eightSchools, "--data", eightSchoolsData, "--algorithm", "fixed_param", "--chains", "2",
		"--samples", "3", "--seed", "1", "--init", init, "--output-dir", dir, "--output", "fp.csv")
	if err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	for c, want := range []struct {
		mu   float64
		init string
	}{{1, init}, {-3, filepath.Join(dir, "init_2.json")}} {
		f := readCSV(t, filepath.Join(dir, []string{"fp_1.csv", "fp_2.csv"}[c]))
		mu := f.Column("mu")
		for _, d := range f.Draws {
			if d[mu] != want.mu {
				t.Fatalf("chain %d: mu = %v, want its initial %v", c+1, d[mu], want.mu)
			}
		}
		if !slices.Contains(f.Config, "init = "+want.init) {
			t.Errorf("chain %d: config lacks init = %s", c+1, want.init)
		}
	}
}

// TestSampleWarmupOnly: --samples 0 is a warmup-only run, as CmdStan's
// num_samples=0: files with the adaptation block and no draws.
func TestSampleWarmupOnly(t *testing.T) {
	out := filepath.Join(t.TempDir(), "w.csv")
	stdout, stderr, err := run("sample", eightSchools, "--data", eightSchoolsData, "--chains", "1", "--warmup", "100",
		"--samples", "0", "--seed", "1", "--output", out)
	if err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	f := readCSV(t, out)
	if len(f.Draws) != 0 || len(f.Adapt) < 2 || f.Adapt[0] != "Adaptation terminated" || !strings.Contains(stdout, "No draws") {
		t.Fatalf("%d draws, adaptation %q, stdout %q", len(f.Draws), f.Adapt, stdout)
	}
}

// TestSampleThinSaveWarmupRefresh checks --thin and --save-warmup in the
// file and its config block, and CmdStan's progress lines on a stderr
// that is not a terminal.
func TestSampleThinSaveWarmupRefresh(t *testing.T) {
	out := filepath.Join(t.TempDir(), "t.csv")
	_, stderr, err := run("sample", eightSchools, "--data", eightSchoolsData, "--chains", "1", "--warmup", "100",
		"--samples", "100", "--thin", "7", "--save-warmup", "--refresh", "50", "--seed", "1", "--output", out)
	if err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	f := readCSV(t, out)
	if len(f.Warmup) != 15 || len(f.Draws) != 15 {
		t.Errorf("%d warmup rows and %d draws, want 15 and 15 (every 7th of 100)", len(f.Warmup), len(f.Draws))
	}
	for _, line := range []string{"    thin = 7", "    save_warmup = 1", "  refresh = 50"} {
		if !slices.Contains(f.Config, line) {
			t.Errorf("config lacks %q", line)
		}
	}
	want := "Chain 1 Iteration:   1 / 200 [  0%]  (Warmup)\nChain 1 Iteration:  50 / 200 [ 25%]  (Warmup)\n" +
		"Chain 1 Iteration: 100 / 200 [ 50%]  (Warmup)\nChain 1 Iteration: 101 / 200 [ 50%]  (Sampling)\n" +
		"Chain 1 Iteration: 150 / 200 [ 75%]  (Sampling)\nChain 1 Iteration: 200 / 200 [100%]  (Sampling)\n"
	if !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr:\n%s\nwant it to start with\n%s", stderr, want)
	}
	_, stderr, err = run("sample", eightSchools, "--data", eightSchoolsData, "--chains", "1", "--warmup", "50",
		"--samples", "10", "--refresh", "0", "--seed", "1", "--output", out)
	if err != nil || strings.Contains(stderr, "Iteration") {
		t.Errorf("--refresh 0: %v, stderr %q", err, stderr)
	}
}

// TestSampleMetricFile starts from a given inverse metric; without warmup
// it is the one the file records.
func TestSampleMetricFile(t *testing.T) {
	dir := t.TempDir()
	metric := filepath.Join(dir, "metric.json")
	os.WriteFile(metric, []byte(`{"inv_metric": [2, 0.5, 1, 1, 1, 1, 1, 1, 1, 3]}`), 0o644)
	out := filepath.Join(dir, "m.csv")
	_, stderr, err := run("sample", eightSchools, "--data", eightSchoolsData, "--chains", "1", "--warmup", "0", "--adapt-engaged=false",
		"--samples", "5", "--seed", "1", "--metric-file", metric, "--output", out)
	if err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	f := readCSV(t, out)
	if !slices.Contains(f.Adapt, "2, 0.5, 1, 1, 1, 1, 1, 1, 1, 3") || !slices.Contains(f.Config, "        metric_file = "+metric) {
		t.Errorf("adaptation %q, config %q", f.Adapt, f.Config)
	}
	_, _, err = run("sample", eightSchools, "--data", eightSchoolsData, "--metric", "dense", "--metric-file", metric, "--output", out)
	if err == nil || !strings.Contains(err.Error(), "--metric-file") {
		t.Errorf("a vector for a dense metric: %v", err)
	}
}

func TestSampleFlagRanges(t *testing.T) {
	for _, args := range [][]string{{"--thin", "0"}, {"--refresh", "-1"}, {"--chains", "0"}, {"--samples", "-1"}, {"--sig-figs", "0"}} {
		_, _, err := run(append([]string{"sample", eightSchools, "--data", eightSchoolsData}, args...)...)
		if err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: %v, want an error naming the flag", args, err)
		}
	}
	stdout, _, err := run("--version")
	if err != nil || !strings.Contains(stdout, stancsv.Version) {
		t.Errorf("--version: %v, %q", err, stdout)
	}
}

// TestSampleInitPathfinder starts the chains at Pathfinder's draws: with
// --algorithm fixed_param each chain's parameters stay where it starts, so
// the rows show four distinct starting points near the posterior of eight
// schools (tau below 30, mu within 20 of the data's mean), and the config
// records the choice.
func TestSampleInitPathfinder(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pf.csv")
	_, stderr, err := run("sample", eightSchools, "--data", eightSchoolsData, "--algorithm", "fixed_param", "--init", "pathfinder",
		"--samples", "3", "--seed", "5", "--output", out)
	if err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	seen := map[float64]bool{}
	for c := 1; c <= 4; c++ {
		f := readCSV(t, strings.TrimSuffix(out, ".csv")+"_"+strconv.Itoa(c)+".csv")
		mu, tau := f.Column("mu"), f.Column("tau")
		row := f.Draws[0]
		if !(row[tau] > 0 && row[tau] < 30 && math.Abs(row[mu]-8) < 20) || !slices.Contains(f.Config, "init = pathfinder") {
			t.Errorf("chain %d starts at mu %v, tau %v; config %q", c, row[mu], row[tau], f.Config)
		}
		seen[row[mu]] = true
	}
	if len(seen) != 4 {
		t.Errorf("the chains share starting points: %v", seen)
	}
}

// TestSampleDiagnosticFile: --diagnostic-file writes CmdStan's
// diagnostic_file beside each chain's output: the sampler's columns, then
// the unconstrained position, momentum and potential gradient, one row per
// kept draw; on the known posterior the position is the draw's (mu, log
// sigma) and the gradient of -log p is 4 (mu - 3), 4 (log sigma - 1).
func TestSampleDiagnosticFile(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "known.stan")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	if _, stderr, err := run("sample", prog, "--seed", "4", "--refresh", "0", "--chains", "2", "--warmup", "200", "--samples", "50",
		"--output-dir", dir, "--diagnostic-file", "diag.csv", "--save-warmup"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for c := 1; c <= 2; c++ {
		out := readWholeCSV(t, filepath.Join(dir, fmt.Sprintf("output_%d.csv", c)))
		dg := readWholeCSV(t, filepath.Join(dir, fmt.Sprintf("diag_%d.csv", c)))
		want := "lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,sigma,p_mu,p_sigma,g_mu,g_sigma"
		if got := strings.Join(dg.Columns, ","); got != want {
			t.Fatalf("chain %d columns %s", c, got)
		}
		// The diagnostic file has no adaptation block to split the warmup at.
		rows, draws := append(dg.Warmup, dg.Draws...), append(out.Warmup, out.Draws...)
		if len(rows) != 250 || len(draws) != 250 {
			t.Fatalf("chain %d: %d diagnostic rows, %d draws", c, len(rows), len(draws))
		}
		for k, row := range rows {
			mu, x := row[7], row[8]
			if !slices.Equal(row[:7], draws[k][:7]) || math.Abs(mu-draws[k][7]) > 1e-5*math.Max(1, math.Abs(mu)) ||
				math.Abs(math.Exp(x)-draws[k][8]) > 1e-4*draws[k][8] {
				t.Fatalf("chain %d row %d: %v, draw %v", c, k+1, row, draws[k])
			}
			if math.Abs(row[11]-4*(mu-3)) > 1e-4*math.Max(1, math.Abs(row[11])) || math.Abs(row[12]-4*(x-1)) > 1e-4*math.Max(1, math.Abs(row[12])) {
				t.Fatalf("chain %d row %d: g %v, want %v", c, k+1, row[11:], []float64{4 * (mu - 3), 4 * (x - 1)})
			}
		}
		if !slices.Contains(dg.Config, fmt.Sprintf("  diagnostic_file = %s", filepath.Join(dir, fmt.Sprintf("diag_%d.csv", c)))) {
			t.Errorf("chain %d: the header does not name the diagnostic file: %q", c, dg.Config)
		}
	}
	// An absolute path is not placed in --output-dir.
	abs := filepath.Join(t.TempDir(), "abs.csv")
	if _, stderr, err := run("sample", prog, "--seed", "4", "--refresh", "0", "--chains", "1", "--warmup", "20", "--samples", "5",
		"--output-dir", dir, "--diagnostic-file", abs); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if rows := readWholeCSV(t, abs).Draws; len(rows) != 5 {
		t.Errorf("%s: %d rows", abs, len(rows))
	}
}

// TestSampleChainID: --id numbers the chains as CmdStan's id does. A chain
// draws from the seed and its number alone, so --id 3 --chains 1 writes
// exactly the draws, adaptation and diagnostics of chain 3 of --chains 4;
// with several chains the files, init files included, are numbered from
// the id, and the headers and progress lines say each chain's number.
func TestSampleChainID(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "known.stan")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	common := []string{"sample", prog, "--seed", "11", "--refresh", "0", "--warmup", "150", "--samples", "40", "--output-dir", dir}
	if _, stderr, err := run(append(common, "--chains", "4", "--output", "four.csv", "--diagnostic-file", "four_diag.csv")...); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if _, stderr, err := run(append(common, "--chains", "1", "--id", "3", "--output", "one.csv", "--diagnostic-file", "one_diag.csv")...); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, pair := range [][2]string{{"four_3.csv", "one.csv"}, {"four_diag_3.csv", "one_diag.csv"}} {
		a, b := readWholeCSV(t, filepath.Join(dir, pair[0])), readWholeCSV(t, filepath.Join(dir, pair[1]))
		if len(a.Draws) != 40 || !slices.EqualFunc(a.Draws, b.Draws, slices.Equal) || !slices.Equal(a.Adapt, b.Adapt) {
			t.Errorf("%s and %s differ: %d and %d draws", pair[0], pair[1], len(a.Draws), len(b.Draws))
		}
		if !slices.Contains(b.Config, "id = 3") {
			t.Errorf("%s: no id = 3 in %q", pair[1], b.Config)
		}
	}
	if other := readWholeCSV(t, filepath.Join(dir, "four_2.csv")); slices.EqualFunc(other.Draws, readWholeCSV(t, filepath.Join(dir, "one.csv")).Draws, slices.Equal) {
		t.Error("chain 2 has chain 3's draws")
	}

	// Several chains from id 5: files and init files _5 and _6.
	os.WriteFile(filepath.Join(dir, "init_5.json"), []byte(`{"mu": 2.5, "sigma": 1.5}`), 0o644)
	os.WriteFile(filepath.Join(dir, "init_6.json"), []byte(`{"mu": 3.5, "sigma": 3}`), 0o644)
	_, stderr, err := run("sample", prog, "--seed", "11", "--refresh", "100", "--warmup", "100", "--samples", "10", "--output-dir", dir,
		"--chains", "2", "--id", "5", "--output", "ids.csv", "--init", filepath.Join(dir, "init.json"), "--adapt-engaged=false", "--warmup", "0")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for c, init := range map[int]string{5: "init_5.json", 6: "init_6.json"} {
		f := readWholeCSV(t, filepath.Join(dir, fmt.Sprintf("ids_%d.csv", c)))
		if !slices.Contains(f.Config, fmt.Sprintf("id = %d", c)) || !slices.Contains(f.Config, "init = "+filepath.Join(dir, init)) {
			t.Errorf("chain %d: header %q", c, f.Config)
		}
		if !strings.Contains(stderr, fmt.Sprintf("Chain %d Iteration: ", c)) {
			t.Errorf("no progress line of chain %d:\n%s", c, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "ids_1.csv")); err == nil {
		t.Error("ids_1.csv written")
	}
}
