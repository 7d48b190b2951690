package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSteinCoin runs stein with the Normal guide on the seed's coin
// (beta(10, 10) prior, six heads and four tails) and checks the CSV: its
// columns, the particles' weights in the comments summing to 1, every
// particle__ a particle, and the draws' mean and sd within 0.02 of the
// exact Beta(16, 14) (repulsion tempered by 10, docs/stein.md).
func TestSteinCoin(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "coin.stan")
	os.WriteFile(prog, []byte("data { int N; array[N] int<lower=0, upper=1> x; }\nparameters { real<lower=0, upper=1> z; }\nmodel {\n  z ~ beta(10, 10);\n  x ~ bernoulli(z);\n}\n"), 0o644)
	data := filepath.Join(dir, "coin.json")
	os.WriteFile(data, []byte(`{"N": 10, "x": [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]}`), 0o644)
	out := filepath.Join(dir, "coin.csv")
	stdout, stderr, err := run("stein", prog, "--data", data, "--guide", "normal", "--kernel", "rbf", "--steps", "1500",
		"--lr", "0.01", "--repulsion-temperature", "10", "--draws", "4000", "--seed", "4", "--output", out)
	if err != nil {
		t.Fatalf("stein: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "Wrote "+out) || !strings.Contains(stdout, "R_hat") {
		t.Errorf("output %q", stdout)
	}
	f := readCSV(t, out)
	if strings.Join(f.Columns, ",") != "lp__,particle__,z" || len(f.Draws) != 4000 {
		t.Fatalf("columns %v, %d draws", f.Columns, len(f.Draws))
	}
	total, n := 0.0, 0
	for _, c := range f.Adapt {
		if _, w, ok := strings.Cut(c, " weight = "); ok {
			v, _ := strconv.ParseFloat(w, 64)
			total += v
			n++
		}
	}
	if n != 10 || math.Abs(total-1) > 1e-9 {
		t.Errorf("%d particle weights summing to %v", n, total)
	}
	mean, sd := 0.0, 0.0
	for _, d := range f.Draws {
		if k := d[1]; k != math.Trunc(k) || k < 1 || k > 10 || math.IsInf(d[0], 0) {
			t.Fatalf("draw %v", d)
		}
		mean += d[2] / float64(len(f.Draws))
	}
	for _, d := range f.Draws {
		sd += (d[2] - mean) * (d[2] - mean) / float64(len(f.Draws))
	}
	sd = math.Sqrt(sd)
	if math.Abs(mean-16.0/30) > 0.02 || math.Abs(sd-0.0896) > 0.02 {
		t.Errorf("mean %v sd %v, exact 0.533 and 0.090", mean, sd)
	}
}

// TestSteinMultimodal runs the command on examples/multimodal.stan
// (SVGD, the RBF kernel, 20 particles): 1000 draws of cluster and theta,
// each from one of the 20 particles. The share near each mode is the
// figure docs/stein.md reports; SVGD leaves most of theta between them.
func TestSteinMultimodal(t *testing.T) {
	out := filepath.Join(t.TempDir(), "mm.csv")
	_, stderr, err := run("stein", "../../examples/multimodal.stan", "--guide", "delta", "--kernel", "rbf", "--particles", "20",
		"--seed", "1", "--output", out)
	if err != nil {
		t.Fatalf("stein: %v\n%s", err, stderr)
	}
	f := readCSV(t, out)
	if strings.Join(f.Columns, ",") != "lp__,particle__,cluster,theta" || len(f.Draws) != 1000 {
		t.Fatalf("columns %v, %d draws", f.Columns, len(f.Draws))
	}
	seen := map[float64]bool{}
	near0, near20 := 0, 0
	for _, d := range f.Draws {
		seen[d[1]] = true
		switch {
		case math.Abs(d[3]) < 5:
			near0++
		case math.Abs(d[3]-20) < 5:
			near20++
		}
	}
	if len(seen) != 20 {
		t.Errorf("draws from %d particles, want 20", len(seen))
	}
	t.Logf("draws of theta near 0: %d, near 20: %d of 1000", near0, near20)
}

// TestSteinFlagErrors: bad choices are errors naming the flag.
func TestSteinFlagErrors(t *testing.T) {
	for _, c := range []struct{ args []string }{
		{[]string{"--guide", "flow"}},
		{[]string{"--kernel", "cosine"}},
		{[]string{"--kernel", "product"}},
		{[]string{"--rbf-mode", "diag"}},
	} {
		args := append([]string{"stein", "../../examples/multimodal.stan", "--steps", "1", "--output", filepath.Join(t.TempDir(), "x.csv")}, c.args...)
		_, _, err := run(args...)
		if err == nil || !strings.Contains(err.Error(), c.args[0]) {
			t.Errorf("%v: %v", c.args, err)
		}
	}
}

// TestSteinGuideBlock: the seed's coin as a Stan program with a Beta guide
// block; ten copies of the guide, the repulsion tempered by 10: the draws'
// mean and sd within 0.02 of Beta(16, 14), and the particles' fitted
// guide parameters printed constrained (positive).
func TestSteinGuideBlock(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "coin.stan")
	os.WriteFile(prog, []byte("data { int N; array[N] int<lower=0, upper=1> x; }\nparameters { real<lower=0, upper=1> z; }\n"+
		"model {\n  z ~ beta(10, 10);\n  x ~ bernoulli(z);\n}\nguide parameters {\n  real<lower=0> alpha_q;\n  real<lower=0> beta_q;\n}\n"+
		"guide {\n  z ~ beta(alpha_q, beta_q);\n}\n"), 0o644)
	data := filepath.Join(dir, "coin.json")
	os.WriteFile(data, []byte(`{"N": 10, "x": [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]}`), 0o644)
	out := filepath.Join(dir, "coin.csv")
	stdout, stderr, err := run("stein", prog, "--data", data, "--guide", "guide", "--steps", "2000", "--elbo-particles", "5",
		"--lr", "0.05", "--repulsion-temperature", "10", "--draws", "4000", "--seed", "4", "--output", out)
	if err != nil {
		t.Fatalf("stein: %v\n%s", err, stderr)
	}
	rows := 0
	for _, line := range strings.Split(stdout, "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] != "particle" {
			a, err1 := strconv.ParseFloat(f[1], 64)
			b, err2 := strconv.ParseFloat(f[2], 64)
			if err1 == nil && err2 == nil {
				rows++
				if a <= 0 || b <= 0 {
					t.Errorf("particle %s: alpha_q %v beta_q %v", f[0], a, b)
				}
			}
		}
	}
	if rows != 10 {
		t.Errorf("%d particle rows in %q", rows, stdout)
	}
	f := readCSV(t, out)
	mean, sd := 0.0, 0.0
	for _, d := range f.Draws {
		mean += d[2] / float64(len(f.Draws))
	}
	for _, d := range f.Draws {
		sd += (d[2] - mean) * (d[2] - mean) / float64(len(f.Draws))
	}
	sd = math.Sqrt(sd)
	if math.Abs(mean-16.0/30) > 0.02 || math.Abs(sd-0.0896) > 0.02 {
		t.Errorf("mean %v sd %v, exact 0.533 and 0.090", mean, sd)
	}
	if _, _, err := run("stein", "../../examples/multimodal.stan", "--guide", "guide", "--steps", "1", "--output", out); err == nil ||
		!strings.Contains(err.Error(), "no guide block") {
		t.Errorf("a program without a guide block: %v", err)
	}
}

// TestSteinPreconditioned: with --precondition the particles move on the
// scale of the Laplace approximation and the draws, mapped back, have the
// coin's exact posterior Beta(3, 9): mean 0.25, sd 0.120.
func TestSteinPreconditioned(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pre.csv")
	_, stderr, err := run("stein", "../../examples/coin_guide.stan", "--data", "../../examples/coin.data.json", "--guide", "normal",
		"--precondition", "--repulsion-temperature", "10", "--seed", "1", "--refresh", "0", "--output", out)
	if err != nil {
		t.Fatalf("stein: %v\n%s", err, stderr)
	}
	f := readCSV(t, out)
	j := f.Column("z")
	mean, sq := 0.0, 0.0
	for _, d := range f.Draws {
		mean += d[j] / float64(len(f.Draws))
		sq += d[j] * d[j] / float64(len(f.Draws))
	}
	sd := math.Sqrt(sq - mean*mean)
	if math.Abs(mean-0.25) > 0.02 || math.Abs(sd-0.1201) > 0.02 {
		t.Errorf("mean %.3f, sd %.3f; exact 0.250, 0.120", mean, sd)
	}
}
