package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// csvColumn reads one column of a Stan CSV file's draws.
func csvColumn(t *testing.T, path, name string) []float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	var col []float64
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, ",")
		if header == nil {
			header = fields
			continue
		}
		for i, h := range header {
			if h == name {
				v, err := strconv.ParseFloat(fields[i], 64)
				if err != nil {
					t.Fatal(err)
				}
				col = append(col, v)
			}
		}
	}
	return col
}

// TestVariationalGuide runs the README's explicit-guide examples through
// the command line and checks the draws.
func TestVariationalGuide(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	_, stderr, err := run("variational", "../../examples/multimodal_guide.stan", "--algorithm", "guide",
		"--steps", "5000", "--lr", "0.1", "--draws", "2000", "--seed", "3", "--output", out)
	if err != nil {
		t.Fatalf("variational: %v\n%s", err, stderr)
	}
	theta := csvColumn(t, out, "theta")[1:] // the first row is the mean's place
	high := 0
	for _, x := range theta {
		if x > 10 {
			high++
		}
	}
	if w := float64(high) / float64(len(theta)); w < 0.4 || w > 0.6 {
		t.Errorf("weight of theta's mode at 20: %.3f, want 0.5 ± 0.1", w)
	}
	_, stderr, err = run("variational", "../../examples/coin_guide.stan", "--data", "../../examples/coin.data.json",
		"--algorithm", "guide", "--steps", "5000", "--draws", "4000", "--seed", "3", "--output", out)
	if err != nil {
		t.Fatalf("variational: %v\n%s", err, stderr)
	}
	mean := 0.0
	z := csvColumn(t, out, "z")[1:]
	for _, x := range z {
		mean += x / float64(len(z))
	}
	if mean < 0.22 || mean > 0.28 {
		t.Errorf("coin: posterior mean %.3f, want 0.25", mean)
	}
	if _, _, err := run("variational", "../../examples/multimodal.stan", "--algorithm", "guide", "--output", out); err == nil ||
		!strings.Contains(err.Error(), "no guide block") {
		t.Errorf("a program without a guide: error %v", err)
	}
}

// TestVariationalGuideMultivariate runs the multivariate guide examples:
// a full-covariance Gaussian guide keeps the strong correlation of a
// regression's two collinear slopes, and a Dirichlet guide finds the
// posterior mean (α + y)/Σ(α + y) of its Dirichlet-multinomial model.
func TestVariationalGuideMultivariate(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "mvn.csv")
	_, stderr, err := run("variational", "../../examples/guide_mvn.stan", "--data", "../../examples/guide_mvn.data.json",
		"--algorithm", "guide", "--steps", "10000", "--lr", "0.02", "--draws", "4000", "--seed", "2", "--output", out)
	if err != nil {
		t.Fatalf("variational: %v\n%s", err, stderr)
	}
	b2, b3 := csvColumn(t, out, "beta.2")[1:], csvColumn(t, out, "beta.3")[1:]
	if len(b2) != 4000 {
		t.Fatalf("%d draws of beta.2", len(b2))
	}
	if r := correlation(b2, b3); r > -0.9 {
		t.Errorf("correlation of the slopes' draws %.3f; the posterior's is below -0.9", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "mvn_guide.json")); err != nil {
		t.Errorf("no fitted guide parameters: %v", err)
	}
	out = filepath.Join(dir, "dir.csv")
	_, stderr, err = run("variational", "../../examples/guide_dirichlet.stan", "--data", "../../examples/guide_dirichlet.data.json",
		"--algorithm", "guide", "--steps", "10000", "--draws", "4000", "--seed", "2", "--output", out)
	if err != nil {
		t.Fatalf("variational: %v\n%s", err, stderr)
	}
	for j, c := range []float64{13, 4, 9, 0.5} {
		th := csvColumn(t, out, "theta."+strconv.Itoa(j+1))[1:]
		mean := 0.0
		for _, x := range th {
			mean += x / float64(len(th))
		}
		if want := c / 26.5; math.Abs(mean-want) > 0.01 {
			t.Errorf("theta[%d]: draws' mean %.4f, posterior mean %.4f", j+1, mean, want)
		}
	}
}

func correlation(x, y []float64) float64 {
	n := float64(len(x))
	mx, my := 0.0, 0.0
	for i := range x {
		mx += x[i] / n
		my += y[i] / n
	}
	sxy, sxx, syy := 0.0, 0.0, 0.0
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// TestVariationalInitFromPrior: --init mean starts an autoguide at the
// priors' means (mu and theta_tilde 0; tau's half-Cauchy has none, so the
// median of 15 draws), which a Delta guide barely moved keeps; ADVI has
// no such start.
func TestVariationalInitFromPrior(t *testing.T) {
	out := filepath.Join(t.TempDir(), "init.csv")
	_, stderr, err := run("variational", "../../examples/eight_schools.stan", "--data", "../../examples/eight_schools.data.json",
		"--algorithm", "autoguide", "--guide", "delta", "--init", "mean", "--steps", "1", "--lr", "1e-12",
		"--draws", "2", "--output", out)
	if err != nil {
		t.Fatalf("variational: %v\n%s", err, stderr)
	}
	for _, name := range []string{"mu", "theta_tilde.1", "theta_tilde.8"} {
		for _, v := range csvColumn(t, out, name) {
			if math.Abs(v) > 1e-9 {
				t.Errorf("%s = %v, want the prior mean 0", name, v)
			}
		}
	}
	for _, v := range csvColumn(t, out, "tau") {
		if !(v > 0) {
			t.Errorf("tau = %v", v)
		}
	}
	_, stderr, err = run("variational", "../../examples/eight_schools.stan", "--data", "../../examples/eight_schools.data.json",
		"--init", "median", "--output", filepath.Join(t.TempDir(), "advi.csv"))
	if err == nil || !strings.Contains(err.Error()+stderr, "needs --algorithm autoguide") {
		t.Errorf("ADVI with --init median: %v\n%s", err, stderr)
	}
}

// TestVariationalDiagnosticFile: --diagnostic-file writes ADVI's ELBO
// trace as CmdStan does: the run's settings, Stan's header
// iter,time_in_seconds,ELBO and one row per ELBO evaluation, the
// iterations increasing by --eval-elbo and the ELBO the one printed. An
// autoguide has no such trace and refuses the flag.
func TestVariationalDiagnosticFile(t *testing.T) {
	dir := t.TempDir()
	out, diag := filepath.Join(dir, "out.csv"), filepath.Join(dir, "elbo.csv")
	stdout, stderr, err := run("variational", "../../examples/eight_schools.stan", "--data", "../../examples/eight_schools.data.json",
		"--seed", "4", "--eval-elbo", "50", "--iter", "2000", "--draws", "20", "--output", out, "--diagnostic-file", diag)
	if err != nil {
		t.Fatalf("variational: %v\n%s", err, stderr)
	}
	var printed []float64
	for _, line := range strings.Split(stdout, "\n") {
		if f := strings.Fields(line); len(f) >= 4 && f[0] == "iteration" && f[2] == "ELBO" {
			v, err := strconv.ParseFloat(f[3], 64)
			if err != nil {
				t.Fatal(err)
			}
			printed = append(printed, v)
		}
	}
	b, err := os.ReadFile(diag)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.Contains(text, "# method = variational\n") || !strings.Contains(text, "#   diagnostic_file = "+diag+"\n") || !strings.Contains(text, "\niter,time_in_seconds,ELBO\n") {
		t.Fatalf("diagnostic file:\n%s", text)
	}
	iters, secs, elbos := csvColumn(t, diag, "iter"), csvColumn(t, diag, "time_in_seconds"), csvColumn(t, diag, "ELBO")
	if len(printed) < 2 || len(elbos) != len(printed) {
		t.Fatalf("%d rows, %d ELBO evaluations printed", len(elbos), len(printed))
	}
	for i := range elbos {
		if iters[i] != float64(50*(i+1)) || secs[i] < 0 || (i > 0 && secs[i] < secs[i-1]) {
			t.Errorf("row %d: iter %v, %v s", i+1, iters[i], secs[i])
		}
		if math.Abs(elbos[i]-printed[i]) > 0.0005+1e-5*math.Abs(printed[i]) {
			t.Errorf("row %d: ELBO %v, printed %v", i+1, elbos[i], printed[i])
		}
	}
	if !strings.Contains(string(mustRead(t, out)), "#   diagnostic_file = "+diag+"\n") {
		t.Error("the output's settings do not name the diagnostic file")
	}
	_, _, err = run("variational", "../../examples/eight_schools.stan", "--data", "../../examples/eight_schools.data.json",
		"--algorithm", "autoguide", "--output", out, "--diagnostic-file", diag)
	if err == nil || !strings.Contains(err.Error(), "needs --algorithm meanfield or fullrank") {
		t.Errorf("autoguide with --diagnostic-file: %v", err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDiagnosticFileNotOutput: a diagnostic file that is the output file
// (or the data) is refused before the run, for ADVI as for sample, whose
// chains' files are checked one by one: the two would be written into one
// file.
func TestDiagnosticFileNotOutput(t *testing.T) {
	dir := t.TempDir()
	prog, data := filepath.Join(dir, "m.stan"), filepath.Join(dir, "m.json")
	os.WriteFile(prog, []byte("data { real y0; } parameters { real mu; } model { mu ~ normal(y0, 1); }\n"), 0o644)
	os.WriteFile(data, []byte(`{"y0": 0.5}`), 0o644)
	out := filepath.Join(dir, "out.csv")
	for _, args := range [][]string{
		{"variational", "--diagnostic-file", out},
		{"variational", "--diagnostic-file", data},
		{"sample", "--chains", "1", "--diagnostic-file", out},
		{"sample", "--chains", "2", "--id", "3", "--diagnostic-file", out},
	} {
		all := append([]string{args[0], prog, "--data", data, "--output", out, "--seed", "1"}, args[1:]...)
		_, stderr, err := run(all...)
		if err == nil || !strings.Contains(err.Error(), "is a file this run reads or writes") {
			t.Errorf("%q: error %v\n%s", args, err, stderr)
		}
		for _, f := range []string{out, filepath.Join(dir, "out_3.csv")} {
			if _, err := os.Stat(f); err == nil {
				t.Errorf("%q: %s was written", args, f)
				os.Remove(f)
			}
		}
	}
}
