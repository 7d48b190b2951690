package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	os.WriteFile(bad, []byte("lp__,mu\n0,1\n"), 0o644)
	_, _, err := run("laplace", src, "--mode", bad, "--output", filepath.Join(dir, "o.csv"))
	if err == nil || !strings.Contains(err.Error(), "parameter column sigma is missing") {
		t.Errorf("missing column: err = %v", err)
	}
	flat := filepath.Join(dir, "flat.stan")
	os.WriteFile(flat, []byte("parameters { real mu; }\nmodel { target += mu * mu; }\n"), 0o644)
	modeFile := filepath.Join(dir, "mode.csv")
	os.WriteFile(modeFile, []byte("lp__,mu\n0,0\n"), 0o644)
	_, _, err = run("laplace", flat, "--mode", modeFile, "--output", filepath.Join(dir, "o.csv"))
	if err == nil || !strings.Contains(err.Error(), "the Hessian at the mode is not negative definite") {
		t.Errorf("minimum: err = %v", err)
	}
}
