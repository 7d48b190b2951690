package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDiagnose runs CmdStan's gradient test on the known posterior at
// mu = 2, sigma = e, where the gradient on the unconstrained scale (mu,
// log sigma) is (4, 0): the printed table and the file's comment lines
// hold it, with finite differences that agree.
func TestDiagnose(t *testing.T) {
	dir := t.TempDir()
	prog, init, out := filepath.Join(dir, "known.stan"), filepath.Join(dir, "init.json"), filepath.Join(dir, "diag.csv")
	os.WriteFile(prog, []byte(knownPosterior), 0o644)
	os.WriteFile(init, []byte(`{"mu": 2, "sigma": 2.718281828459045}`), 0o644)
	stdout, stderr, err := run("diagnose", prog, "--init", init, "--output", out, "--seed", "1")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	table := func(text, prefix string) [][]float64 {
		var rows [][]float64
		after := false
		for _, l := range strings.Split(text, "\n") {
			l = strings.TrimPrefix(l, prefix)
			if strings.HasPrefix(l, " param idx") {
				after = true
				continue
			}
			if f := strings.Fields(l); after && len(f) == 5 {
				row := make([]float64, 5)
				for i, s := range f {
					row[i], _ = strconv.ParseFloat(s, 64)
				}
				rows = append(rows, row)
			}
		}
		return rows
	}
	printed, written := table(stdout, ""), table(string(b), "# ")
	want := [][]float64{{0, 2, 4, 4, 0}, {1, 1, 0, 0, 0}}
	for _, rows := range [][][]float64{printed, written} {
		if len(rows) != 2 {
			t.Fatalf("rows %v\n%s\n%s", rows, stdout, b)
		}
		for k, row := range rows {
			for i, v := range row {
				if math.Abs(v-want[k][i]) > 1e-5 {
					t.Errorf("row %d: %v, want %v", k, row, want[k])
				}
			}
		}
	}
	if !strings.Contains(string(b), "# method = diagnose\n") || !strings.Contains(string(b), "#         epsilon = 1e-06\n") || !strings.Contains(stdout, "TEST GRADIENT MODE") {
		t.Errorf("file\n%s\nstdout\n%s", b, stdout)
	}
	if stderr != "" {
		t.Errorf("stderr %q: no coordinate should fail", stderr)
	}
}
