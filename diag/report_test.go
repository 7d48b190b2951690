package diag

import (
	"encoding/csv"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var samplerNames = []string{"lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"}

// nutsRun is a run of m chains of n draws with NUTS's columns and the
// model's columns given as CSV names, each model column an AR(1) process
// shifted by shift times the chain's number (0: the chains agree).
func nutsRun(m, n int, model []string, phi, shift float64) Run {
	rng := rand.New(rand.NewPCG(21, 22))
	run := Run{Model: "test", Columns: append(slices.Clone(samplerNames), model...), MaxDepth: 10}
	cols := make([][][]float64, len(model))
	for k := range model {
		cols[k] = ar1(rng, m, n, phi)
	}
	for c := range m {
		rows := make([][]float64, n)
		for i := range rows {
			lp := -0.5 * rng.ExpFloat64() * float64(len(model))
			rows[i] = []float64{lp, rng.Float64(), 0.5 + 0.1*float64(c), float64(2 + rng.IntN(2)), float64(3 + rng.IntN(5)), 0, -lp + rng.ExpFloat64()}
			for k := range model {
				rows[i] = append(rows[i], cols[k][c][i]+shift*float64(c))
			}
		}
		run.Chains = append(run.Chains, rows)
		run.Warmup = append(run.Warmup, 1000)
		run.Thin = append(run.Thin, 1)
		run.WarmupSeconds = append(run.WarmupSeconds, 0.5+0.25*float64(c))
		run.SampleSeconds = append(run.SampleSeconds, 0.125*float64(c+1))
	}
	return run
}

// TestReportLayout compares stansummary's layout with a golden file and
// checks its structure: the header, the sampler's rows before the model's,
// names written as Stan writes variables.
func TestReportLayout(t *testing.T) {
	rep := NewReport(nutsRun(2, 200, []string{"mu", "theta.1", "theta.2", "Sigma.1.2"}, 0.3, 0), nil, 1)
	var sb strings.Builder
	if err := rep.WriteText(&sb, 2); err != nil {
		t.Fatal(err)
	}
	got := sb.String()
	golden := filepath.Join("testdata", "report.golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("report differs from %s:\n%s", golden, got)
	}
	lines := strings.Split(got, "\n")
	if lines[0] != "Inference for Stan model: test" ||
		lines[1] != "2 chains: each with iter=200; warmup=1000; thin=1; 400 iterations saved." ||
		lines[3] != "Warmup took (0.50, 0.75) seconds, 1.2 seconds total" ||
		lines[4] != "Sampling took (0.12, 0.25) seconds, 0.38 seconds total" {
		t.Errorf("header:\n%s", strings.Join(lines[:5], "\n"))
	}
	var names []string
	for _, l := range lines[6:] {
		if f := strings.Fields(l); len(f) == 11 {
			names = append(names, f[0])
		} else if len(names) > 0 && len(names) < 12 {
			names = append(names, "") // the blank line between the groups
		}
	}
	wantNames := []string{"lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__", "",
		"mu", "theta[1]", "theta[2]", "Sigma[1,2]"}
	if !slices.Equal(names[:len(wantNames)], wantNames) {
		t.Errorf("rows %q, want %q", names, wantNames)
	}
}

func TestVariableName(t *testing.T) {
	for in, want := range map[string]string{"mu": "mu", "theta.1": "theta[1]", "Sigma.1.2": "Sigma[1,2]",
		"z.real": "z[real]", "zs.2.1.imag": "zs[2,1,imag]", "theta[1]": "theta[1]", "lp__": "lp__",
		"p:1": "p:1", "u.1.1:1.2:2.1": "u[1,1]:1[2]:2[1]", "g:2:2.2": "g:2:2[2]"} {
		if got := VariableName(in); got != want {
			t.Errorf("VariableName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConvergenceWarnings(t *testing.T) {
	model := []string{"a", "b", "c", "d", "e"}
	if w := NewReport(nutsRun(4, 1000, model, 0.2, 0), nil, 0).Warnings; len(w) != 0 {
		t.Errorf("warnings for well-mixed chains: %q", w)
	}
	// Chains stuck in different places: R-hat (and the ESS, which sees
	// the same disagreement).
	w := NewReport(nutsRun(4, 1000, model, 0.2, 2), nil, 0).Warnings
	if len(w) != 3 || !strings.HasPrefix(w[0], "R-hat is above 1.01 for 5 of 6 columns, the worst ") {
		t.Errorf("warnings for chains that disagree: %q", w)
	}
	// Very sticky chains: too few effective draws, in the bulk and the tails.
	w = NewReport(nutsRun(4, 1000, model, 0.995, 0), nil, 0).Warnings
	if len(w) != 3 || !strings.HasPrefix(w[1], "Bulk ESS is below 400 (100 per chain) for ") ||
		!strings.HasPrefix(w[2], "Tail ESS is below 400 (100 per chain) for ") {
		t.Errorf("warnings for sticky chains: %q", w)
	}
	// The worst columns are named, worst first, at most three.
	rows := []Summary{{Name: "x", Rhat: 1.2, ESSBulk: 1e4, ESSTail: 1e4}, {Name: "y", Rhat: 1.5, ESSBulk: 1e4, ESSTail: 1e4},
		{Name: "z", Rhat: 1.02, ESSBulk: 1e4, ESSTail: 1e4}, {Name: "v", Rhat: 1.3, ESSBulk: 1e4, ESSTail: 1e4},
		{Name: "ok", Rhat: 1.001, ESSBulk: 1e4, ESSTail: 50}, {Name: "stepsize__", Rhat: 9, ESSBulk: 1, ESSTail: 1}}
	w = ConvergenceWarnings(rows, 4)
	if len(w) != 2 || !strings.HasPrefix(w[0], "R-hat is above 1.01 for 4 of 5 columns, the worst y (1.50), v (1.30), x (1.20): ") ||
		!strings.HasPrefix(w[1], "Tail ESS is below 400 (100 per chain) for 1 of 5 columns, the worst ok (50): ") {
		t.Errorf("warnings %q", w)
	}
}

func TestWriteCSV(t *testing.T) {
	rep := NewReport(nutsRun(2, 100, []string{"mu", "Sigma.1.2"}, 0, 0), []float64{0.025, 0.5, 0.975}, 0)
	var sb strings.Builder
	if err := rep.WriteCSV(&sb, 3); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(sb.String()))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, sb.String())
	}
	if strings.Join(recs[0], ",") != "name,Mean,MCSE,StdDev,MAD,2.5%,50%,97.5%,ESS_bulk,ESS_tail,R_hat" || len(recs) != 1+7+2 ||
		recs[1][0] != "lp__" || recs[9][0] != "Sigma[1,2]" || recs[3][2] != "nan" {
		t.Errorf("CSV:\n%s", sb.String())
	}
	if !strings.HasPrefix(sb.String(), "# Inference for Stan model: test\n") {
		t.Errorf("CSV lacks the header comments:\n%s", sb.String())
	}
}
