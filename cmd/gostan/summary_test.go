package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const summaryCSV = `# model = tiny
# method = sample (Default)
#     num_samples = 6
#     num_warmup = 100
#             max_depth = 10
lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,theta.1,theta.2
# Adaptation terminated
`

const summaryRows = `-1,0.9,0.5,2,3,0,1.5,0.1,0.2,1
-2,0.8,0.5,2,3,0,2.5,0.3,0.1,2
-1.5,0.7,0.5,2,3,0,2,0.2,0.4,3
-1.2,0.95,0.5,2,3,0,1.7,0.25,0.3,1
-1.1,0.9,0.5,2,3,0,1.6,0.15,0.2,2
-1.3,0.9,0.5,2,3,0,1.6,0.35,0.3,4
#
#  Elapsed Time: 0.125 seconds (Warm-up)
#                0.25 seconds (Sampling)
#                0.375 seconds (Total)
`

func writeFiles(t *testing.T, texts ...string) []string {
	dir := t.TempDir()
	var paths []string
	for i, text := range texts {
		p := filepath.Join(dir, "out_"+string(rune('1'+i))+".csv")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestSummaryCommand(t *testing.T) {
	paths := writeFiles(t, summaryCSV+summaryRows, summaryCSV+summaryRows)
	csvOut := filepath.Join(t.TempDir(), "summary.csv")
	stdout, stderr, err := run(append([]string{"summary", "--percentiles", "10,90", "--sig-figs", "3", "--csv-file", csvOut}, paths...)...)
	if err != nil {
		t.Fatalf("summary: %v\n%s", err, stderr)
	}
	for _, want := range []string{"Inference for Stan model: tiny\n", "2 chains: each with iter=6; warmup=100; thin=1; 12 iterations saved.\n",
		"Warmup took (0.12, 0.12) seconds, 0.25 seconds total\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	var header string
	var names []string
	table, _, _ := strings.Cut(stdout, "For each parameter")
	for _, l := range strings.Split(table, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) > 0 && f[0] == "Mean":
			header = strings.Join(f, " ")
		case len(f) == 10 && header != "":
			names = append(names, f[0])
		}
	}
	if header != "Mean MCSE StdDev MAD 10% 90% ESS_bulk ESS_tail R_hat" ||
		strings.Join(names, " ") != "lp__ accept_stat__ stepsize__ treedepth__ n_leapfrog__ divergent__ energy__ mu theta[1] theta[2]" {
		t.Errorf("header %q, rows %q:\n%s", header, names, stdout)
	}
	b, err := os.ReadFile(csvOut)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\nname,Mean,MCSE,StdDev,MAD,10%,90%,ESS_bulk,ESS_tail,R_hat\n") || !strings.Contains(string(b), "\n\"theta[2]\",") {
		t.Errorf("--csv-file wrote:\n%s", b)
	}
}

// TestSummaryWarmupOnly: files of a run with num_samples = 0 are
// summarised, with a note, without a panic.
func TestSummaryWarmupOnly(t *testing.T) {
	paths := writeFiles(t, summaryCSV, summaryCSV)
	stdout, stderr, err := run(append([]string{"summary"}, paths...)...)
	if err != nil || !strings.Contains(stdout, "No draws to summarise") {
		t.Errorf("summary of warmup-only files: %v\n%s%s", err, stdout, stderr)
	}
}

func TestSummaryBadFlags(t *testing.T) {
	paths := writeFiles(t, summaryCSV+summaryRows)
	for _, c := range []struct{ flag, value, msg string }{
		{"--sig-figs", "0", "--sig-figs must be an integer between 1 and 18"},
		{"--sig-figs", "30", "--sig-figs must be an integer between 1 and 18"},
		{"--percentiles", "50,5", "--percentiles must be"},
		{"--percentiles", "0,50", "--percentiles must be"},
		{"--percentiles", "5,x", "--percentiles must be"},
		{"--percentiles", "", "--percentiles must be"},
		{"--max-depth", "-1", "--max-depth must be an integer between 0 and 30"},
	} {
		_, _, err := run("summary", c.flag, c.value, paths[0])
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("summary %s %q: error %v, want %q", c.flag, c.value, err, c.msg)
		}
	}
}

// TestSampleWarnsOnMultimodal: the multimodal example's chains do not
// mix; sample says so after the table (issue 11).
func TestSampleWarnsOnMultimodal(t *testing.T) {
	out := filepath.Join(t.TempDir(), "mm.csv")
	stdout, stderr, err := run("sample", "../../examples/multimodal.stan", "--seed", "3", "--warmup", "300", "--samples", "300",
		"--output", out)
	if err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "Warning: R-hat is above 1.01 for ") || !strings.Contains(stdout, "theta[") && !strings.Contains(stdout, "theta (") {
		t.Errorf("no R-hat warning:\n%s", stdout)
	}
	// summary of the files says the same.
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "mm_*.csv"))
	sum, _, err := run(append([]string{"summary"}, files...)...)
	if err != nil || !strings.Contains(sum, "Warning: R-hat is above 1.01 for ") {
		t.Errorf("summary: %v\n%s", err, sum)
	}
}
