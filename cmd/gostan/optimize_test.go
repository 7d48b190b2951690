package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOptimizeKidscore runs optimize end to end on kidscore_momhs: the CSV's
// header is lp__ and the model's columns, and beta is the least-squares
// fit (77.548387, 11.771261; the compile package's test computes it).
func TestOptimizeKidscore(t *testing.T) {
	dir := t.TempDir()
	for _, alg := range []string{"lbfgs", "bfgs", "newton"} {
		out := filepath.Join(dir, alg+".csv")
		stdout, stderr, err := run("optimize", "../../testdata/posteriordb/models/stan/kidscore_momhs.stan",
			"--data", "../../testdata/posteriordb/data/data/kidiq.json.zip", "--algorithm", alg,
			"--tol-rel-grad", "0", "--seed", "4", "--output", out)
		if err != nil {
			t.Fatalf("%s: %v\n%s", alg, err, stderr)
		}
		if !strings.Contains(stdout, "Optimization terminated normally") || !strings.Contains(stdout, "Initial log joint probability") {
			t.Errorf("%s: stdout\n%s", alg, stdout)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if !strings.Contains(text, "\nlp__,beta.1,beta.2,sigma\n") || !strings.Contains(text, "# method = optimize\n") || !strings.Contains(text, "#     algorithm = "+alg+"\n") {
			t.Errorf("%s: CSV\n%s", alg, text)
		}
		for _, c := range []struct {
			name string
			want float64
		}{{"beta.1", 77.548387}, {"beta.2", 11.771261}} {
			col := csvColumn(t, out, c.name)
			if len(col) != 1 || math.Abs(col[0]-c.want) > 1e-3 {
				t.Errorf("%s: %s = %v, want %g", alg, c.name, col, c.want)
			}
		}
		if lp := csvColumn(t, out, "lp__"); len(lp) != 1 || math.Abs(lp[0]-(-1517.09)) > 0.01 {
			t.Errorf("%s: lp__ = %v", alg, lp)
		}
	}
}

// TestOptimizeJacobianFlag: lognormal(0, 1) has its mode at exp(-1), and
// the density of log sigma at log sigma = 0.
func TestOptimizeJacobianFlag(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "ln.stan")
	os.WriteFile(src, []byte("parameters { real<lower=0> sigma; }\nmodel { sigma ~ lognormal(0, 1); }\n"), 0o644)
	for _, c := range []struct {
		jacobian bool
		want     float64
	}{{false, math.Exp(-1)}, {true, 1}} {
		out := filepath.Join(dir, "out.csv")
		args := []string{"optimize", src, "--seed", "2", "--output", out, "--sig-figs", "12"}
		if c.jacobian {
			args = append(args, "--jacobian")
		}
		if _, stderr, err := run(args...); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		if s := csvColumn(t, out, "sigma"); len(s) != 1 || math.Abs(s[0]-c.want) > 1e-6 {
			t.Errorf("jacobian %v: sigma = %v, want %.9g", c.jacobian, s, c.want)
		}
	}
	if _, _, err := run("optimize", src, "--algorithm", "sgd"); err == nil {
		t.Error("no error for --algorithm sgd")
	}
}
