package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/stancsv"
)

func readCSV(t *testing.T, path string) *stancsv.File {
	t.Helper()
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := stancsv.Read(r)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

// TestGenerateQuantitiesEightSchools samples eight schools, runs
// generate-quantities on the CSV and checks CmdStan 2.33's layout: the
// method and model columns copied (the parameters as printed, the
// transformed parameters recomputed from them), new y_rep draws, and
// reproducibility by seed.
func TestGenerateQuantitiesEightSchools(t *testing.T) {
	dir := t.TempDir()
	fit := filepath.Join(dir, "fit.csv")
	stanFile, data := "../../examples/eight_schools.stan", "../../examples/eight_schools.data.json"
	if _, stderr, err := run("sample", stanFile, "--data", data, "--chains", "1", "--warmup", "150", "--samples", "40",
		"--seed", "9", "--output", fit); err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	gq := func(seed, out string) *stancsv.File {
		t.Helper()
		_, stderr, err := run("generate-quantities", stanFile, "--data", data, "--fitted-params", fit, "--seed", seed, "--output", out)
		if err != nil {
			t.Fatalf("generate-quantities: %v\n%s", err, stderr)
		}
		return readCSV(t, out)
	}
	in := readCSV(t, fit)
	a := gq("5", filepath.Join(dir, "a.csv"))
	if strings.Join(a.Columns, ",") != strings.Join(in.Columns, ",") {
		t.Fatalf("columns %v, want the input's %v", a.Columns, in.Columns)
	}
	if !contains(a.Config, "method = generate_quantities") || !contains(a.Config, "    fitted_params = "+fit) {
		t.Errorf("config lacks the method:\n%s", strings.Join(a.Config, "\n"))
	}
	if len(a.Draws) != len(in.Draws) {
		t.Fatalf("%d draws, want %d", len(a.Draws), len(in.Draws))
	}
	differ := 0
	for d := range in.Draws {
		for j, c := range in.Columns {
			x, y := in.Draws[d][j], a.Draws[d][j]
			switch {
			case strings.HasPrefix(c, "y_rep"):
				if math.IsNaN(y) || math.IsInf(y, 0) {
					t.Errorf("draw %d: %s = %v", d+1, c, y)
				}
				if x != y {
					differ++
				}
			case strings.HasPrefix(c, "theta."):
				// Recomputed from the printed mu, tau and theta_tilde.
				if math.Abs(x-y) > 1e-4*(1+math.Abs(x)) {
					t.Errorf("draw %d: %s = %v, input %v", d+1, c, y, x)
				}
			default:
				if x != y {
					t.Errorf("draw %d: %s = %v, input %v", d+1, c, y, x)
				}
			}
		}
	}
	if differ == 0 {
		t.Error("y_rep equals the sampler's draws: no new generated quantities")
	}
	b := gq("5", filepath.Join(dir, "b.csv"))
	c := gq("6", filepath.Join(dir, "c.csv"))
	y1 := a.Column("y_rep.1")
	same, other := true, true
	for d := range a.Draws {
		same = same && a.Draws[d][y1] == b.Draws[d][y1]
		other = other && a.Draws[d][y1] == c.Draws[d][y1]
	}
	if !same {
		t.Error("the same seed gave different y_rep")
	}
	if other {
		t.Error("another seed gave the same y_rep")
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

const twiceProgram = `parameters {
  real mu;
  vector<lower=0>[2] v;
}
model { mu ~ normal(0, 1); v ~ exponential(1); }
generated quantities {
  real twice = 2 * mu;
  real vsum = v[1] + 10 * v[2];
  if (mu > 2) reject("mu is too big: ", mu);
}
`

// TestGenerateQuantitiesDeterministic checks a deterministic generated
// quantity exactly against the input columns of a Stan CSV file written
// by hand (columns in another order, an extra column of another model, two
// chain files named by a glob), and a draw whose generated quantities
// fail: NaN and a message.
func TestGenerateQuantitiesDeterministic(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "twice.stan")
	os.WriteFile(prog, []byte(twiceProgram), 0o644)
	csv1 := "# method = sample\nlp__,accept_stat__,v.2,mu,v.1,other\n" +
		"-1.5,0.9,0.25,0.123457,1.5,7\n-2,0.8,3,-1.75,0.001,7\n-3,0.7,1,3,1,7\n"
	csv2 := "lp__,mu,v.1,v.2\n-1,0.5,2,4\n"
	os.WriteFile(filepath.Join(dir, "fit_1.csv"), []byte(csv1), 0o644)
	os.WriteFile(filepath.Join(dir, "fit_2.csv"), []byte(csv2), 0o644)
	out := filepath.Join(dir, "gq.csv")
	stdout, stderr, err := run("generate-quantities", prog, "--fitted-params", filepath.Join(dir, "fit_*.csv"), "--seed", "1", "--output", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "draw 3: ") || !strings.Contains(stderr, "mu is too big") {
		t.Errorf("no message for the failing draw:\n%s", stderr)
	}
	if !strings.Contains(stderr, "other") {
		t.Errorf("the dropped column is not reported:\n%s", stderr)
	}
	if !strings.Contains(stdout, "gq_1.csv") || !strings.Contains(stdout, "gq_2.csv") {
		t.Errorf("output files not named as CmdStan names them:\n%s", stdout)
	}
	f := readCSV(t, filepath.Join(dir, "gq_1.csv"))
	if got, want := strings.Join(f.Columns, ","), "lp__,accept_stat__,mu,v.1,v.2,twice,vsum"; got != want {
		t.Fatalf("columns %s, want %s", got, want)
	}
	want := [][]float64{
		{-1.5, 0.9, 0.123457, 1.5, 0.25, 0.246914, 4},
		{-2, 0.8, -1.75, 0.001, 3, -3.5, 30.001},
		{-3, 0.7, 3, 1, 1, math.NaN(), math.NaN()},
	}
	for d, row := range want {
		for j, x := range row {
			y := f.Draws[d][j]
			if !(x == y || math.IsNaN(x) && math.IsNaN(y)) {
				t.Errorf("draw %d: %s = %v, want %v", d+1, f.Columns[j], y, x)
			}
		}
	}
	g := readCSV(t, filepath.Join(dir, "gq_2.csv"))
	if len(g.Draws) != 1 || g.Draws[0][g.Column("twice")] != 1 || g.Draws[0][g.Column("vsum")] != 42 {
		t.Errorf("second file: %v %v", g.Columns, g.Draws)
	}
}

func TestGenerateQuantitiesErrors(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "twice.stan")
	os.WriteFile(prog, []byte(twiceProgram), 0o644)
	noGQ := filepath.Join(dir, "nogq.stan")
	os.WriteFile(noGQ, []byte("parameters { real mu; }\ntransformed parameters { real nu = 2 * mu; }\nmodel { mu ~ normal(0, 1); }\n"), 0o644)
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	good := write("good.csv", "lp__,mu,v.1,v.2\n-1,0.5,2,4\n")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no generated quantities", []string{noGQ, "--fitted-params", good}, "Model doesn't generate any quantities of interest"},
		{"missing column", []string{prog, "--fitted-params", write("miss.csv", "lp__,mu,v.1\n-1,0.5,2\n")}, "parameter column v.2 is missing"},
		{"another model", []string{prog, "--fitted-params", write("eight.csv", "lp__,mu,tau\n-1,0.5,2\n")}, "parameter columns v.1, v.2 are missing"},
		{"another size", []string{prog, "--fitted-params", write("size.csv", "lp__,mu,v.1,v.2,v.3\n-1,0.5,2,4,5\n")}, "column v.3 is not a column of the model's parameter v"},
		{"not a Stan CSV", []string{prog, "--fitted-params", write("empty.csv", "# nothing\n")}, "not a Stan CSV file"},
		{"outside the support", []string{prog, "--fitted-params", write("neg.csv", "lp__,mu,v.1,v.2\n-1,0.5,-2,4\n")}, "draw 1: parameter \"v[1]\""},
		{"no fitted params", []string{prog}, "no Stan CSV file"},
		{"output is input", []string{prog, "--fitted-params", good, "--output", good}, "is also a fitted-params file"},
	} {
		_, stderr, err := run(append([]string{"generate-quantities", "--seed", "1", "--output", filepath.Join(dir, "out.csv")}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q\n%s", tc.name, err, tc.want, stderr)
		}
	}
}
