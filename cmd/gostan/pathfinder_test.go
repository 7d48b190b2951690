package main

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
