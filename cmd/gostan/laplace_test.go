package main

import (
	"encoding/json"
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

// TestLaplaceKidscore runs laplace end to end on kidscore_momhs, with a
// mode from optimize --jacobian and with the mode found by laplace itself:
// the header is CmdStan's and the draws' means are near the mode.
func TestLaplaceKidscore(t *testing.T) {
	dir := t.TempDir()
	stanFile := "../../testdata/posteriordb/models/stan/kidscore_momhs.stan"
	data := "../../testdata/posteriordb/data/data/kidiq.json.zip"
	modeFile := filepath.Join(dir, "mode.csv")
	if _, stderr, err := run("optimize", stanFile, "--data", data, "--jacobian", "--seed", "3", "--output", modeFile, "--sig-figs", "12"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	mode := map[string]float64{}
	for _, c := range []string{"beta.1", "beta.2", "sigma"} {
		mode[c] = csvColumn(t, modeFile, c)[0]
	}
	for _, withMode := range []bool{true, false} {
		out := filepath.Join(dir, "laplace.csv")
		args := []string{"laplace", stanFile, "--data", data, "--seed", "5", "--draws", "2000", "--output", out}
		if withMode {
			args = append(args, "--mode", modeFile)
		}
		stdout, stderr, err := run(args...)
		if err != nil {
			t.Fatalf("mode %v: %v\n%s", withMode, err, stderr)
		}
		if !strings.Contains(stdout, "log_p__") || !strings.Contains(stdout, "beta[1]") {
			t.Errorf("mode %v: no summary table:\n%s", withMode, stdout)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if !strings.Contains(text, "\nlog_p__,log_q__,beta.1,beta.2,sigma\n") || !strings.Contains(text, "# method = laplace\n") || !strings.Contains(text, "#     jacobian = 1\n") {
			t.Errorf("mode %v: CSV header\n%s", withMode, text[:min(len(text), 800)])
		}
		for _, c := range []string{"beta.1", "beta.2"} {
			col := csvColumn(t, out, c)
			if len(col) != 2000 {
				t.Fatalf("mode %v: %d draws of %s", withMode, len(col), c)
			}
			var s, ss float64
			for _, v := range col {
				s += v
				ss += v * v
			}
			n := float64(len(col))
			mean := s / n
			sd := math.Sqrt(ss/n - mean*mean)
			if math.Abs(mean-mode[c]) > 4*sd/math.Sqrt(n) {
				t.Errorf("mode %v: %s mean %v, mode %v (sd %v)", withMode, c, mean, mode[c], sd)
			}
		}
		lg := csvColumn(t, out, "log_q__")
		for _, v := range lg {
			if v > 0 {
				t.Fatalf("mode %v: log_q__ %v > 0", withMode, v)
			}
		}
	}
}

// TestLaplaceErrors: a mode file without a parameter's column, and a
// "mode" that is a minimum (target += mu², at mu = 0).
func TestLaplaceErrors(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "m.stan")
	os.WriteFile(src, []byte("parameters { real mu; real<lower=0> sigma; }\nmodel { mu ~ normal(0, 1); sigma ~ lognormal(0, 1); }\n"), 0o644)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("# method = optimize\nlp__,mu\n0,1\n"), 0o644)
	_, _, err := run("laplace", src, "--mode", bad, "--output", filepath.Join(dir, "o.csv"))
	if err == nil || !strings.Contains(err.Error(), "parameter column sigma is missing") {
		t.Errorf("missing column: err = %v", err)
	}
	flat := filepath.Join(dir, "flat.stan")
	os.WriteFile(flat, []byte("parameters { real mu; }\nmodel { target += mu * mu; }\n"), 0o644)
	modeFile := filepath.Join(dir, "mode.csv")
	os.WriteFile(modeFile, []byte("# method = optimize\nlp__,mu\n0,0\n"), 0o644)
	_, _, err = run("laplace", flat, "--mode", modeFile, "--output", filepath.Join(dir, "o.csv"))
	if err == nil || !strings.Contains(err.Error(), "the Hessian at the mode is not negative definite") {
		t.Errorf("minimum: err = %v", err)
	}
}

// TestLaplaceCalculateLP: --calculate-lp=false (CmdStan's calculate_lp=0)
// writes log_p__ nan at every draw and the same draws and log_q__ as the
// default with one seed; the header says calculate_lp = 0 (the default's
// calculate_lp = 1), and that line is the only other difference.
func TestLaplaceCalculateLP(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "known.stan")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	lap := func(out string, args ...string) *stancsv.File {
		t.Helper()
		args = append([]string{"laplace", prog, "--seed", "5", "--refresh", "0", "--draws", "100", "--output", filepath.Join(dir, out)}, args...)
		if _, stderr, err := run(args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		return readWholeCSV(t, filepath.Join(dir, out))
	}
	on, off := lap("on.csv"), lap("off.csv", "--calculate-lp=false")
	if len(off.Draws) != 100 || strings.Join(off.Columns, ",") != "log_p__,log_q__,mu,sigma" {
		t.Fatalf("%d draws of %v", len(off.Draws), off.Columns)
	}
	// The default's log_p__ is the log density, -(a² + b²)/2 up to a
	// constant on the unconstrained scale, the Jacobian included.
	diff := func(row []float64) float64 {
		a, b := (row[2]-3)/0.5, (math.Log(row[3])-1)/0.5
		return row[0] + 0.5*(a*a+b*b)
	}
	for k, row := range off.Draws {
		if !math.IsNaN(row[0]) || !slices.Equal(row[1:], on.Draws[k][1:]) || math.Abs(diff(on.Draws[k])-diff(on.Draws[0])) > 1e-4 {
			t.Fatalf("draw %d: %v, by default %v", k+1, row, on.Draws[k])
		}
	}
	if !slices.Contains(off.Config, "    calculate_lp = 0") || !slices.Contains(on.Config, "    calculate_lp = 1") {
		t.Errorf("config blocks %q and %q", off.Config, on.Config)
	}
	onText, offText := timingless(t, filepath.Join(dir, "on.csv")), timingless(t, filepath.Join(dir, "off.csv"))
	onLines, offLines := strings.Split(onText, "\n"), strings.Split(offText, "\n")
	header := slices.Index(onLines, "log_p__,log_q__,mu,sigma")
	var differ []string
	for i := range header {
		if onLines[i] != offLines[i] {
			differ = append(differ, onLines[i]+" | "+offLines[i])
		}
	}
	if len(differ) != 2 || !strings.Contains(differ[0], "calculate_lp") || !strings.Contains(differ[1], "on.csv") {
		t.Errorf("headers differ in %q, want the calculate_lp and output lines", differ)
	}
}

// TestLaplaceDiagnosticFile: --diagnostic-file writes CmdStan's JSON of
// the mode (the Hessian of the known posterior on the unconstrained scale
// is -4 I, its gradient at the mode 0) and the header names the file.
func TestLaplaceDiagnosticFile(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "known.stan")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	diag, out := filepath.Join(dir, "mode.json"), filepath.Join(dir, "out.csv")
	if _, stderr, err := run("laplace", prog, "--seed", "5", "--refresh", "0", "--draws", "10", "--output", out, "--diagnostic-file", diag); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	b, err := os.ReadFile(diag)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		LogP     *float64    `json:"lp_mode"`
		Gradient []float64   `json:"gradient"`
		Hessian  [][]float64 `json:"Hessian"`
	}
	if err := json.Unmarshal(b, &got); err != nil || got.LogP == nil || len(got.Gradient) != 2 || len(got.Hessian) != 2 {
		t.Fatalf("%v: %s", err, b)
	}
	for i := range 2 {
		if math.Abs(got.Gradient[i]) > 1e-5 {
			t.Errorf("gradient %v at the mode", got.Gradient)
		}
		for j := range 2 {
			want := 0.0
			if i == j {
				want = -4
			}
			if math.Abs(got.Hessian[i][j]-want) > 1e-5 {
				t.Errorf("Hessian[%d][%d] = %v, want %v", i, j, got.Hessian[i][j], want)
			}
		}
	}
	if !slices.Contains(readWholeCSV(t, out).Config, "  diagnostic_file = "+diag) {
		t.Error("the header does not name the diagnostic file")
	}
}

// TestLaplaceModeFile: --mode takes what CmdStan's mode takes: optimize's
// CSV output, whose header says so (another method's CSV is refused), or a
// JSON file of the parameters' constrained values, which gives the same
// draws as the CSV of the same values; a JSON file lacking a parameter,
// and a file of another kind, are refused.
func TestLaplaceModeFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "m.stan")
	os.WriteFile(src, []byte("parameters { real mu; real<lower=0> sigma; }\nmodel { mu ~ normal(1, 2); sigma ~ lognormal(0.5, 0.3); }\n"), 0o644)
	modeCSV := filepath.Join(dir, "mode.csv")
	if _, stderr, err := run("optimize", src, "--jacobian", "--seed", "2", "--sig-figs", "15", "--output", modeCSV); err != nil {
		t.Fatalf("optimize: %v\n%s", err, stderr)
	}
	mu, sigma := csvColumn(t, modeCSV, "mu")[0], csvColumn(t, modeCSV, "sigma")[0]
	modeJSON := filepath.Join(dir, "mode.json")
	os.WriteFile(modeJSON, []byte(fmt.Sprintf(`{"mu": %s, "sigma": %s}`, strconv.FormatFloat(mu, 'g', -1, 64), strconv.FormatFloat(sigma, 'g', -1, 64))), 0o644)
	draws := func(mode string) [][]float64 {
		t.Helper()
		out := filepath.Join(dir, "draws.csv")
		if _, stderr, err := run("laplace", src, "--mode", mode, "--seed", "9", "--draws", "50", "--refresh", "0", "--output", out); err != nil {
			t.Fatalf("laplace --mode %s: %v\n%s", mode, err, stderr)
		}
		return readWholeCSV(t, out).Draws
	}
	fromCSV, fromJSON := draws(modeCSV), draws(modeJSON)
	if len(fromCSV) != 50 || !slices.EqualFunc(fromCSV, fromJSON, slices.Equal) {
		t.Errorf("the JSON mode's draws differ from the CSV's (%d and %d draws)", len(fromCSV), len(fromJSON))
	}

	sampled := filepath.Join(dir, "sampled.csv")
	if _, stderr, err := run("sample", src, "--seed", "2", "--chains", "1", "--warmup", "50", "--samples", "5", "--refresh", "0", "--output", sampled); err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	partial := filepath.Join(dir, "partial.json")
	os.WriteFile(partial, []byte(`{"mu": 1}`), 0o644)
	other := filepath.Join(dir, "mode.txt")
	os.WriteFile(other, []byte("mu = 1"), 0o644)
	for file, want := range map[string]string{
		sampled: "not the output of optimize",
		partial: "sigma",
		other:   "the mode file must be CSV (optimize's output) or JSON",
	} {
		_, _, err := run("laplace", src, "--mode", file, "--output", filepath.Join(dir, "o.csv"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--mode %s: error %v, want one saying %q", filepath.Base(file), err, want)
		}
	}
}
