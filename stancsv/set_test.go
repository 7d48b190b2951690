package stancsv

import (
	"bytes"
	"slices"
	"testing"

	"github.com/gostan/gostan/draws"
)

// TestWriteSet reads back a set written with its mean row and two chains:
// the configuration is the set's then the run's, the comments come after
// the header, the mean row first, then the draws chain after chain to
// the significant digits asked for.
func TestWriteSet(t *testing.T) {
	set := draws.Variational([]string{"mu", "Sigma[1,2]"}, []float64{1, 2},
		[][]float64{{1.23456789, 3}, {4, 5}}, []float64{-1, -2}, []float64{-3, -4})
	set.Chains = append(set.Chains, [][]float64{{0, -5, -6, 7, 8}})
	set.Config, set.Seed, set.Comments = []string{"method = variational"}, 77, []string{"eta = 0.1"}
	var buf bytes.Buffer
	if err := WriteSet(&buf, set, Run{Model: "m.stan", Data: "d.json", Output: "o.csv", SigFigs: 4}); err != nil {
		t.Fatal(err)
	}
	f, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.Columns, []string{"lp__", "log_p__", "log_g__", "mu", "Sigma.1.2"}) || !slices.Equal(f.Adapt, []string{"eta = 0.1"}) {
		t.Fatalf("columns %v, comments %v", f.Columns, f.Adapt)
	}
	for _, line := range []string{"model = m", "method = variational", "  file = d.json", "  seed = 77", "  file = o.csv", "  sig_figs = 4"} {
		if !slices.Contains(f.Config, line) {
			t.Errorf("configuration %q lacks %q", f.Config, line)
		}
	}
	if slices.Contains(f.Config, "init = ") {
		t.Errorf("an init line without an init: %q", f.Config)
	}
	want := [][]float64{{0, 0, 0, 1, 2}, {0, -1, -3, 1.235, 3}, {0, -2, -4, 4, 5}, {0, -5, -6, 7, 8}}
	if len(f.Draws) != len(want) {
		t.Fatalf("%d rows, want %d", len(f.Draws), len(want))
	}
	for i, row := range want {
		if !slices.Equal(f.Draws[i], row) {
			t.Errorf("row %d: %v, want %v", i+1, f.Draws[i], row)
		}
	}
}
