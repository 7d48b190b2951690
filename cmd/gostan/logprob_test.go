package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLogProb: CmdStan's log_prob method on the known posterior, whose log
// density on the unconstrained scale (mu, x = log sigma) is
// -2 (mu - 3)² - 2 (x - 1)², less x without the Jacobian: the points come
// from constrained JSON, from params_r (one and several) and from a Stan
// CSV file, and lp__ and g_ are those values.
func TestLogProb(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "known.stan")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	exact := func(mu, x float64, jacobian bool) []float64 {
		lp, gx := -2*(mu-3)*(mu-3)-2*(x-1)*(x-1), -4*(x-1)
		if !jacobian {
			lp, gx = lp-x, gx-1
		}
		return []float64{lp, -4 * (mu - 3), gx}
	}
	logProb := func(args ...string) [][]float64 {
		t.Helper()
		out := filepath.Join(dir, "lp.csv")
		if _, stderr, err := run(append([]string{"log-prob", prog, "--output", out}, args...)...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		f := readWholeCSV(t, out)
		if strings.Join(f.Columns, ",") != "lp__,g_mu,g_sigma" {
			t.Fatalf("columns %v", f.Columns)
		}
		return f.Draws
	}
	near := func(got [][]float64, want ...[]float64) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%d rows, want %d", len(got), len(want))
		}
		for k := range want {
			for i := range want[k] {
				if math.Abs(got[k][i]-want[k][i]) > 1e-5*math.Max(1, math.Abs(want[k][i])) {
					t.Fatalf("row %d: %v, want %v", k+1, got[k], want[k])
				}
			}
		}
	}
	near(logProb("--constrained-params", write("c.json", `{"mu": 2, "sigma": 2.718281828459045}`)), exact(2, 1, true))
	near(logProb("--unconstrained-params", write("u.json", `{"params_r": [[2, 1], [3.5, 0.25]]}`), "--jacobian=false"),
		exact(2, 1, false), exact(3.5, 0.25, false))
	near(logProb("--unconstrained-params", write("u1.json", `{"params_r": [2.5, -1]}`)), exact(2.5, -1, true))
	draws := filepath.Join(dir, "draws.csv")
	if _, stderr, err := run("sample", prog, "--chains", "1", "--samples", "4", "--warmup", "50", "--refresh", "0", "--seed", "2", "--output", draws); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var want [][]float64
	for _, row := range readWholeCSV(t, draws).Draws {
		want = append(want, exact(row[7], math.Log(row[8]), true))
	}
	near(logProb("--constrained-params", draws), want...)

	for _, bad := range [][]string{
		{},
		{"--constrained-params", draws, "--unconstrained-params", draws},
		{"--unconstrained-params", write("u3.json", `{"params_r": [1, 2, 3]}`)},
		{"--unconstrained-params", write("x.json", `{"theta": [1, 2]}`)},
		{"--constrained-params", write("neg.json", `{"mu": 2, "sigma": -1}`)},
	} {
		if _, _, err := run(append([]string{"log-prob", prog, "--output", filepath.Join(dir, "bad.csv")}, bad...)...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}
