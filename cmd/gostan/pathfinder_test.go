package main

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestPathfinderCSV runs gostan pathfinder on a model with a known
// posterior (mu ~ N(3, 0.5), log sigma ~ N(1, 0.5) on the unconstrained
// scale) and reads its CSV as CmdStan writes it: lp_approx__ and lp__
// first, the config block, num_psis_draws rows after resampling (all
// num_paths × num_draws without it), lp__ the model's log density at the
// row up to Stan's dropped constant, and draws with the posterior's
// moments.
func TestPathfinderCSV(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "known.stan")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	for _, c := range []struct {
		args []string
		rows int
	}{
		{nil, 1000},
		{[]string{"--num-paths", "2", "--num-draws", "300", "--psis-resample=false"}, 600},
		{[]string{"--num-paths", "1", "--num-draws", "500"}, 500},
	} {
		name := strings.Join(c.args, " ")
		out := filepath.Join(dir, "out.csv")
		stdout, stderr, err := run(append([]string{"pathfinder", prog, "--seed", "3", "--sig-figs", "12", "--output", out}, c.args...)...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stderr)
		}
		if !strings.Contains(stdout, "Path [1]: ") || !strings.Contains(stdout, "Wrote "+out) {
			t.Errorf("%s: stdout %q", name, stdout)
		}
		f := readCSV(t, out)
		if got := strings.Join(f.Columns, ","); got != "lp_approx__,lp__,mu,sigma" {
			t.Fatalf("%s: columns %s", name, got)
		}
		if !slices.Contains(f.Config, "method = pathfinder") || !slices.Contains(f.Config, "    num_elbo_draws = 25") {
			t.Errorf("%s: config block %q", name, f.Config)
		}
		if len(f.Draws) != c.rows {
			t.Fatalf("%s: %d rows, want %d", name, len(f.Draws), c.rows)
		}
		var mu, ls, ls2 float64
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, d := range f.Draws {
			a, b := (d[2]-3)/0.5, (math.Log(d[3])-1)/0.5
			diff := d[1] + 0.5*(a*a+b*b) // lp__ minus the log density up to a constant
			lo, hi = math.Min(lo, diff), math.Max(hi, diff)
			mu += d[2] / float64(c.rows)
			ls += math.Log(d[3]) / float64(c.rows)
			ls2 += math.Log(d[3]) * math.Log(d[3]) / float64(c.rows)
		}
		if hi-lo > 1e-6 {
			t.Errorf("%s: lp__ differs from the log density by %v to %v, not a constant", name, lo, hi)
		}
		if sd := math.Sqrt(ls2 - ls*ls); math.Abs(mu-3) > 0.08 || math.Abs(ls-1) > 0.08 || math.Abs(sd-0.5) > 0.06 {
			t.Errorf("%s: mean mu %.3f (want 3), mean log sigma %.3f (want 1), sd %.3f (want 0.5)", name, mu, ls, sd)
		}
	}
}

// TestPathfinderInterrupted sends SIGINT to `gostan pathfinder` after the
// fifth L-BFGS iteration of its first path (illStan takes thousands with
// the tolerances off): it exits 130, and the file holds the resampled
// draws from the best approximations reached, with a comment saying so
// that stderr says too.
func TestPathfinderInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	dir := t.TempDir()
	prog, data, out := filepath.Join(dir, "ill.stan"), filepath.Join(dir, "ill.json"), filepath.Join(dir, "out.csv")
	os.WriteFile(prog, []byte(illStan), 0o644)
	os.WriteFile(data, []byte(`{"D": 5, "N": 100000}`), 0o644)
	status, _, stderr := interruptWhen(t, syscall.SIGINT, func(_, stderr string) bool { return strings.Contains(stderr, "Path [1] Iter     5:") },
		"pathfinder", prog, "--data", data, "--seed", "2", "--refresh", "1", "--output", out, "--max-lbfgs-iters", "100000",
		"--tol-obj", "0", "--tol-rel-obj", "0", "--tol-grad", "0", "--tol-rel-grad", "0", "--tol-param", "0")
	if status != 130 {
		t.Fatalf("exit status %d, want 130\n%s", status, stderr)
	}
	f := readWholeCSV(t, out)
	if len(f.Draws) != 1000 || strings.Join(f.Columns, ",") != "lp_approx__,lp__,x.1,x.2,x.3,x.4,x.5" {
		t.Fatalf("%d draws of %v, want 1000 of lp_approx__,lp__,x.1,...,x.5", len(f.Draws), f.Columns)
	}
	if want := "Interrupted: the paths stopped early; the draws come from the best approximations reached."; len(f.Adapt) != 1 || f.Adapt[0] != want {
		t.Errorf("comments after the header %q, want %q", f.Adapt, want)
	}
	if want := "gostan: interrupted; the file holds draws from the best approximations reached:\n  " + out + ": 1000 draws\n"; !strings.HasSuffix(stderr, want) {
		t.Errorf("stderr ends\n%s\nwant\n%s", stderr, want)
	}
	for k, row := range f.Draws {
		if math.IsInf(row[0], 0) || math.IsNaN(row[0]) || math.IsInf(row[1], 0) || math.IsNaN(row[1]) {
			t.Fatalf("draw %d: lp_approx__ %v, lp__ %v, want finite", k+1, row[0], row[1])
		}
	}
}
