package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/stancsv"
)

// TestTupleColumnsCSV runs sample, optimize and variational on a program
// with tuples in every block: their CSV headers name the tuple columns as
// CmdStan does, and summary reads the sample back.
func TestTupleColumnsCSV(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "tup.stan")
	data := filepath.Join(dir, "tup.json")
	os.WriteFile(prog, []byte(`data { tuple(int, array[2] real) d; }
parameters { tuple(real<lower=0>, vector[2]) p; }
transformed parameters { array[2] tuple(real, real) tp = {(p.1, d.1), (sum(p.2), 2)}; }
model { p.1 ~ exponential(1); p.2 ~ normal(d.2, 1); }
generated quantities { tuple(real, tuple(int, vector[2])) g = (p.1, (d.1, p.2)); }
`), 0o644)
	os.WriteFile(data, []byte(`{"d": {"1": 3, "2": [0.5, -0.5]}}`), 0o644)
	want := "p:1,p:2.1,p:2.2,tp.1:1,tp.1:2,tp.2:1,tp.2:2,g:1,g:2:1,g:2:2.1,g:2:2.2"
	for _, c := range []struct {
		args []string
		lead string
	}{
		{[]string{"sample", "--chains", "1", "--warmup", "100", "--samples", "50", "--seed", "3"}, "lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,"},
		{[]string{"optimize", "--seed", "3"}, "lp__,"},
		{[]string{"variational", "--seed", "3"}, "lp__,log_p__,log_g__,"},
	} {
		out := filepath.Join(dir, c.args[0]+".csv")
		args := append(append([]string(nil), c.args[0], prog, "--data", data, "--output", out), c.args[1:]...)
		if _, stderr, err := run(args...); err != nil {
			t.Fatalf("%s: %v\n%s", c.args[0], err, stderr)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		csv, err := stancsv.Read(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(csv.Columns, ","); got != c.lead+want {
			t.Errorf("%s header\n%s\nwant\n%s", c.args[0], got, c.lead+want)
		}
		if k := csv.Column("g:2:1"); k < 0 || len(csv.Draws) == 0 || csv.Draws[0][k] != 3 {
			t.Errorf("%s: g:2:1 is not d.1 = 3", c.args[0])
		}
	}
	stdout, stderr, err := run("summary", filepath.Join(dir, "sample.csv"))
	if err != nil {
		t.Fatalf("summary: %v\n%s", err, stderr)
	}
	for _, col := range []string{"p:2[1]", "tp[2]:1", "g:2:2[2]"} {
		if !strings.Contains(stdout, col) {
			t.Errorf("summary has no row %s:\n%s", col, stdout)
		}
	}
}
