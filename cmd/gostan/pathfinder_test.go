package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/gostan/gostan/stancsv"
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

// timingless is a CSV file's text without its Elapsed Time lines, the
// only ones two runs with one seed may differ in.
func timingless(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasSuffix(l, ")") || !strings.Contains(l, " seconds (") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestPathfinderCalculateLP: --calculate-lp=false (CmdStan's
// calculate_lp=0) writes all num_paths × num_draws draws unresampled, the
// draws and lp_approx__ of --psis-resample=false with the same seed, lp__
// kept at each path's first num_elbo_draws (the best approximation's ELBO
// draws) and nan at the rest, the header saying calculate_lp = 0 and the
// footer CmdStan's one total. Giving the default explicitly changes
// nothing but the timings.
func TestPathfinderCalculateLP(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "known.stan")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	pf := func(out string, args ...string) *stancsv.File {
		t.Helper()
		args = append([]string{"pathfinder", prog, "--seed", "4", "--refresh", "0", "--num-paths", "3", "--num-draws", "40", "--output", filepath.Join(dir, out)}, args...)
		if _, stderr, err := run(args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		return readWholeCSV(t, filepath.Join(dir, out))
	}
	all := pf("all.csv", "--psis-resample=false")
	nolp := pf("nolp.csv", "--calculate-lp=false")
	if len(nolp.Draws) != 120 || len(all.Draws) != 120 {
		t.Fatalf("%d and %d draws, want 3 × 40", len(nolp.Draws), len(all.Draws))
	}
	for k, row := range nolp.Draws {
		if row[0] != all.Draws[k][0] || !slices.Equal(row[2:], all.Draws[k][2:]) {
			t.Fatalf("draw %d: %v, with lp__ computed %v", k+1, row, all.Draws[k])
		}
		if elbo := k%40 < 25; elbo && row[1] != all.Draws[k][1] || !elbo && !math.IsNaN(row[1]) {
			t.Errorf("draw %d: lp__ %v (computed: %v); want it at the 25 ELBO draws of each path, nan after", k+1, row[1], all.Draws[k][1])
		}
	}
	if !slices.Contains(nolp.Config, "    calculate_lp = 0") || !slices.Contains(all.Config, "    calculate_lp = 1 (Default)") {
		t.Errorf("config blocks %q and %q", nolp.Config, all.Config)
	}
	if len(nolp.Footer) != 1 || !strings.HasPrefix(nolp.Footer[0], "Elapsed Time: ") || !strings.HasSuffix(nolp.Footer[0], " seconds (Total)") {
		t.Errorf("footer %q, want one Elapsed Time ... (Total)", nolp.Footer)
	}
	pf("default.csv")
	pf("explicit.csv", "--calculate-lp=true")
	a, b := timingless(t, filepath.Join(dir, "default.csv")), timingless(t, filepath.Join(dir, "explicit.csv"))
	if strings.Replace(a, "default.csv", "explicit.csv", 1) != b {
		t.Errorf("--calculate-lp=true changes the output:\n%s\nvs\n%s", a, b)
	}
}

// TestPathfinderSaveSinglePaths: --save-single-paths (CmdStan's
// save_single_paths=1) writes, beside out.csv, out_path_N.csv and
// out_path_N.json for each path, as CmdStan names them; each CSV holds the
// path's num_draws draws with the output's columns, lp__ the model's log
// density up to Stan's constant, the header saying save_single_paths = 1
// and the footer the path's time; each JSON one record per L-BFGS
// iteration from 0. The output itself differs from a run without the flag
// only in that header line. With one path only out.json is added.
func TestPathfinderSaveSinglePaths(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "known.stan")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	pf := func(sub string, args ...string) string {
		t.Helper()
		os.Mkdir(filepath.Join(dir, sub), 0o755)
		out := filepath.Join(dir, sub, "out.csv")
		args = append([]string{"pathfinder", prog, "--seed", "6", "--refresh", "0", "--num-draws", "50", "--output", out}, args...)
		if _, stderr, err := run(args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		return filepath.Join(dir, sub)
	}
	files := func(d string) string {
		entries, _ := os.ReadDir(d)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return strings.Join(names, " ")
	}
	plain := pf("plain", "--num-paths", "3")
	single := pf("single", "--num-paths", "3", "--save-single-paths")
	if got := files(single); got != "out.csv out_path_1.csv out_path_1.json out_path_2.csv out_path_2.json out_path_3.csv out_path_3.json" {
		t.Fatalf("files %s", got)
	}
	a := strings.Replace(timingless(t, filepath.Join(plain, "out.csv")), plain, single, 1)
	a = strings.Replace(a, "save_single_paths = 0 (Default)", "save_single_paths = 1", 1)
	if b := timingless(t, filepath.Join(single, "out.csv")); a != b {
		t.Errorf("the output changed beyond its save_single_paths line:\n%s\nvs\n%s", a, b)
	}
	for i := 1; i <= 3; i++ {
		f := readWholeCSV(t, filepath.Join(single, fmt.Sprintf("out_path_%d.csv", i)))
		if got := strings.Join(f.Columns, ","); got != "lp_approx__,lp__,mu,sigma" || len(f.Draws) != 50 {
			t.Fatalf("path %d: %d draws of %s", i, len(f.Draws), got)
		}
		if !slices.Contains(f.Config, "    save_single_paths = 1") || len(f.Footer) != 1 ||
			!strings.HasPrefix(f.Footer[0], "Elapsed Time: ") || !strings.HasSuffix(f.Footer[0], " seconds (Pathfinder)") {
			t.Errorf("path %d: config %q, footer %q", i, f.Config, f.Footer)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, d := range f.Draws {
			a, b := (d[2]-3)/0.5, (math.Log(d[3])-1)/0.5
			lo, hi = math.Min(lo, d[1]+0.5*(a*a+b*b)), math.Max(hi, d[1]+0.5*(a*a+b*b))
		}
		if hi-lo > 1e-4 {
			t.Errorf("path %d: lp__ differs from the log density by %v to %v", i, lo, hi)
		}
		b, err := os.ReadFile(filepath.Join(single, fmt.Sprintf("out_path_%d.json", i)))
		if err != nil {
			t.Fatal(err)
		}
		var recs map[string]map[string]any
		if err := json.Unmarshal(b, &recs); err != nil {
			t.Fatalf("path %d: %v", i, err)
		}
		for k := range len(recs) {
			r, ok := recs[fmt.Sprint(k)]
			if !ok || r["iter"] != float64(k) || len(r["unconstrained_parameters"].([]any)) != 2 {
				t.Fatalf("path %d: record %d of %d: %v", i, k, len(recs), r)
			}
		}
		if len(recs) < 3 || recs["1"]["pathfinder_success"] != true || recs["1"]["L_approx"] == nil {
			t.Errorf("path %d: %d records, the first after the start %v", i, len(recs), recs["1"])
		}
	}
	one := pf("one", "--num-paths", "1", "--save-single-paths")
	if got := files(one); got != "out.csv out.json" {
		t.Errorf("one path: files %s, want out.csv out.json", got)
	}
}
