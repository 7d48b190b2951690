package main

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestNested runs nested sampling on a beta-binomial program: the printed
// log Z matches the closed form and the CSV's comments, the equally
// weighted draws have the posterior mean, and --weighted and --plots
// write what they say.
func TestNested(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "bb.stan")
	os.WriteFile(prog, []byte("data { int n; int y; }\nparameters { real<lower=0, upper=1> theta; }\nmodel {\n  theta ~ beta(2, 3);\n  y ~ binomial(n, theta);\n}\n"), 0o644)
	data := filepath.Join(dir, "bb.json")
	os.WriteFile(data, []byte(`{"n": 20, "y": 7}`), 0o644)
	out := filepath.Join(dir, "bb.csv")
	stdout, stderr, err := run("nested", prog, "--data", data, "--live-points", "300", "--seed", "3", "--output", out)
	if err != nil {
		t.Fatalf("nested: %v\n%s", err, stderr)
	}
	m := regexp.MustCompile(`log Z = (\S+) ± (\S+)`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no log Z line in %q", stdout)
	}
	logZ, _ := strconv.ParseFloat(m[1], 64)
	logZErr, _ := strconv.ParseFloat(m[2], 64)
	lbeta := func(a, b float64) float64 {
		la, _ := math.Lgamma(a)
		lb, _ := math.Lgamma(b)
		lab, _ := math.Lgamma(a + b)
		return la + lb - lab
	}
	exact := -math.Log(21) - lbeta(8, 14) + lbeta(9, 16) - lbeta(2, 3)
	if d := logZ - exact; math.Abs(d) > 3*logZErr || math.Abs(d) > 0.15 {
		t.Errorf("log Z %v ± %v, exact %v", logZ, logZErr, exact)
	}
	f := readCSV(t, out)
	if strings.Join(f.Columns, ",") != "log_lik__,theta" || len(f.Draws) != 1000 {
		t.Fatalf("columns %v, %d draws", f.Columns, len(f.Draws))
	}
	var csvZ float64
	for _, c := range f.Adapt {
		if v, ok := strings.CutPrefix(c, "log_evidence = "); ok {
			csvZ, _ = strconv.ParseFloat(v, 64)
		}
	}
	if math.Abs(csvZ-logZ) > 1e-4 {
		t.Errorf("CSV log_evidence %v, printed %v", csvZ, logZ)
	}
	mean := 0.0
	for _, d := range f.Draws {
		mean += d[1] / float64(len(f.Draws))
	}
	if want := 9.0 / 25; math.Abs(mean-want) > 0.02 {
		t.Errorf("posterior mean %v, exact %v", mean, want)
	}

	plots := filepath.Join(dir, "plots")
	_, stderr, err = run("nested", prog, "--data", data, "--live-points", "50", "--seed", "3", "--output", out, "--weighted", "--plots", plots)
	if err != nil {
		t.Fatalf("nested --weighted: %v\n%s", err, stderr)
	}
	f = readCSV(t, out)
	total := 0.0
	for _, d := range f.Draws {
		total += math.Exp(d[1])
	}
	if f.Columns[1] != "log_weight__" || math.Abs(total-1) > 1e-3 {
		t.Errorf("columns %v, weights sum to %v", f.Columns, total)
	}
	for _, name := range []string{"evidence.png", "corner.png"} {
		if st, err := os.Stat(filepath.Join(plots, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestNestedInterrupted sends SIGINT to `gostan nested` once it has
// reported progress: it exits 130 and the file holds whole rows, the
// evidence so far and the mark of the interruption.
func TestNestedInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	dir := t.TempDir()
	prog, out := filepath.Join(dir, "normal.stan"), filepath.Join(dir, "out.csv")
	os.WriteFile(prog, []byte("parameters { vector[10] x; }\nmodel {\n  x ~ normal(0, 10);\n  target += normal_lpdf(x | 1, 0.1);\n}\n"), 0o644)
	status, _, stderr := interruptWhen(t, syscall.SIGINT, func(_, stderr string) bool { return strings.Contains(stderr, "dead points") },
		"nested", prog, "--live-points", "20000", "--refresh", "100", "--seed", "1", "--output", out)
	if status != 130 {
		t.Fatalf("exit status %d, want 130\n%s", status, stderr)
	}
	f := readWholeCSV(t, out)
	if len(f.Draws) != 1000 || !slices.Contains(f.Adapt, "interrupted = 1 (before the termination test)") {
		t.Errorf("%d draws, comments %q", len(f.Draws), f.Adapt)
	}
	if !strings.Contains(stderr, "gostan: interrupted; the file holds the draws made:\n  "+out) {
		t.Errorf("stderr %q", stderr)
	}
}
